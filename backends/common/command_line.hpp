#pragma once
// Command-line handling shared by the servers: --help, one clear line on bad input, exit 2.
#include "common/http_types.hpp"

#include <boost/program_options.hpp>

#include <string>
#include <string_view>

namespace statelab {

namespace po = boost::program_options;

// Parses argv into `vm`. `--help` prints `usage` and the options with their defaults, exit 0.
// Anything wrong prints "<program>: <what>" and one hint line on stderr, exit 2.
void parse_command_line(int argc, char** argv, const po::options_description& options,
                        po::variables_map& vm, std::string_view program, std::string_view usage);

// Prints "<program>: <message>" on stderr and exits 2 (bad usage).
[[noreturn]] void exit_usage_error(std::string_view program, std::string_view message);

// "127.0.0.1:6379" -> endpoint. Only loopback addresses are accepted: the lab never leaves lo.
tcp::endpoint parse_loopback_endpoint(std::string_view program, std::string_view option,
                                      std::string_view text);

// The first line of a small secret file, trimmed; exits 2 with a clear line if unreadable/empty.
std::string read_secret_file(std::string_view program, std::string_view option,
                             const std::string& path);

} // namespace statelab

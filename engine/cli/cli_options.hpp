#pragma once
// Option parsing shared by statelab-cli's subcommands: --help, one clear line, exit 2.
#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace statelab {

namespace po = boost::program_options;

// Parses a subcommand's arguments (after the subcommand name). --help prints usage and exits 0;
// bad input prints "statelab-cli: <what>" and exits 2. Positional arguments go to "positional".
void parse_subcommand(const std::vector<std::string>& args, const po::options_description& options,
                      po::variables_map& vm, const std::string& usage,
                      const po::positional_options_description* positional = nullptr);

[[noreturn]] void cli_usage_error(const std::string& message);

// --out DIR, before anything starts: exits 2 with one line when DIR is a file, cannot be created,
// or holds an earlier result (any of `results`, the files the command writes) and `force` is
// not set. Creates DIR.
void prepare_out_dir(const std::string& dir, const std::vector<std::string>& results, bool force);
inline constexpr const char* force_help = "replace the results an earlier run left in --out";

// Traffic goes to loopback only: exits 2 unless `host` is an IP in 127.0.0.0/8 (or ::1).
void require_loopback_host(const std::string& host, const std::string& option);

} // namespace statelab

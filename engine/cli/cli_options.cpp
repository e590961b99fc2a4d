#include "cli/cli_options.hpp"

#include <boost/asio/ip/address.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace statelab {

void cli_usage_error(const std::string& message) {
    std::cerr << "statelab-cli: " << message << "\n";
    std::exit(2);
}

void parse_subcommand(const std::vector<std::string>& args, const po::options_description& options,
                      po::variables_map& vm, const std::string& usage,
                      const po::positional_options_description* positional) {
    try {
        po::command_line_parser parser(args);
        parser.options(options);
        if (positional) parser.positional(*positional);
        po::store(parser.run(), vm);
        if (vm.count("help")) {
            std::cout << usage << "\n\n" << options << "\n";
            std::exit(0);
        }
        po::notify(vm);
    } catch (const po::error& e) {
        cli_usage_error(std::string(e.what()) + " (see statelab-cli --help)");
    }
}

void prepare_out_dir(const std::string& dir, const std::vector<std::string>& results, bool force) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path out(dir);
    if (fs::exists(out, ec) && !fs::is_directory(out, ec))
        cli_usage_error("--out " + dir + " is a file, not a directory");
    for (const std::string& name : results)
        if (fs::exists(out / name, ec) && !force)
            cli_usage_error("--out " + dir + " holds an earlier result (" + name +
                            "): choose another directory, or pass --force to replace it");
    fs::create_directories(out, ec);
    if (ec || !fs::is_directory(out)) cli_usage_error("--out " + dir + ": cannot create it: " + ec.message());
}

void require_loopback_host(const std::string& host, const std::string& option) {
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(host, ec);
    if (ec || !address.is_loopback())
        cli_usage_error(option + ": StateLab only sends traffic to loopback addresses (127.0.0.0/8), got '" + host + "'");
}

} // namespace statelab

#include "common/command_line.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>

namespace statelab {

void exit_usage_error(std::string_view program, std::string_view message) {
    std::cerr << program << ": " << message << "\n";
    std::exit(2);
}

void parse_command_line(int argc, char** argv, const po::options_description& options,
                        po::variables_map& vm, std::string_view program, std::string_view usage) {
    try {
        po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
        if (vm.count("help")) {
            std::cout << usage << "\n\n" << options << "\n";
            std::exit(0);
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << program << ": " << e.what() << " (see " << program << " --help)\n";
        std::exit(2);
    }
}

tcp::endpoint parse_loopback_endpoint(std::string_view program, std::string_view option,
                                      std::string_view text) {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
        exit_usage_error(program, std::string(option) + " wants HOST:PORT, got '" +
                                      std::string(text) + "'");
    error_code ec;
    auto address = asio::ip::make_address(std::string(text.substr(0, colon)), ec);
    char* end = nullptr;
    std::string port_text(text.substr(colon + 1));
    long port = std::strtol(port_text.c_str(), &end, 10);
    if (ec || port_text.empty() || *end != '\0' || port < 1 || port > 65535)
        exit_usage_error(program, std::string(option) + " wants IP:PORT (e.g. 127.0.0.1:6379), got '" +
                                      std::string(text) + "'");
    if (!address.is_loopback())
        exit_usage_error(program, std::string(option) + " must be a loopback address (127.0.0.0/8), got '" +
                                      std::string(text) + "'");
    return {address, static_cast<std::uint16_t>(port)};
}

std::string read_secret_file(std::string_view program, std::string_view option,
                             const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
        exit_usage_error(program, std::string(option) + ": cannot read '" + path + "'");
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) exit_usage_error(program, std::string(option) + ": '" + path + "' is empty");
    return line;
}

} // namespace statelab

#include "lab_files.hpp"

#include "scenario/json_locator.hpp"
#include "scenario/scenario_rules.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace statelab {

namespace {

using nlohmann::json;

// Scenario files are a few hundred bytes; anything this big is the wrong file.
constexpr std::uintmax_t max_file_bytes = 1024 * 1024; // a scenario is a few KB

// Error lines go to a terminal and to a GUI status line: keep them one short line even when a
// hostile key contains newlines or megabytes.
std::string one_line(std::string_view text) {
    constexpr std::size_t max_chars = 400;
    std::string out;
    for (char c : text) {
        if (out.size() >= max_chars) {
            out += "...";
            break;
        }
        if (c == '\n')
            out += "\\n";
        else if (static_cast<unsigned char>(c) < 0x20)
            out += ' ';
        else
            out += c;
    }
    return out;
}

ScenarioResult failure(std::string message) {
    ScenarioResult result;
    result.error = one_line(message);
    return result;
}

// nlohmann's message is "[json.exception.parse_error.101] parse error at line L, column C:
// syntax error while parsing X - Y"; the position is ours, Y is the useful part.
std::string syntax_detail(const std::string& what) {
    std::string detail = what;
    if (auto id_end = detail.find("] "); detail.starts_with("[json.") && id_end != detail.npos)
        detail.erase(0, id_end + 2);
    if (detail.starts_with("parse error"))
        if (auto colon = detail.find(": "); colon != std::string::npos) detail.erase(0, colon + 2);
    if (auto dash = detail.find(" - "); dash != std::string::npos && detail.starts_with("syntax"))
        detail.erase(0, dash + 3);
    // A missing comma between members is by far the most common cause of this one.
    if (detail.starts_with("unexpected string literal; expected '}'") ||
        detail.starts_with("unexpected '{'; expected ']'"))
        detail += " (missing comma?)";
    return detail;
}

std::string position_prefix(std::string_view source, std::string_view text, std::size_t offset) {
    const TextPosition at = position_of(text, offset);
    return std::string(source) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

ScenarioResult parse_failure(std::string_view source, std::string_view text,
                             const json::exception& e) {
    if (const auto* syntax = dynamic_cast<const json::parse_error*>(&e)) {
        // `byte` is 1-based and points at the last character read, i.e. the offending one.
        std::size_t offset =
            std::min<std::size_t>(syntax->byte > 0 ? syntax->byte - 1 : 0, text.size());
        // For an unexpected string the lexer stops at its closing quote; the user looks for
        // the start of the string (usually the key after a missing comma).
        const bool string_token =
            std::string_view(e.what()).find("string literal") != std::string_view::npos;
        if (string_token && offset > 0 && offset < text.size() && text[offset] == '"')
            if (auto open = text.rfind('"', offset - 1);
                open != std::string_view::npos && text.find('\n', open) >= offset)
                offset = open;
        return failure(position_prefix(source, text, offset) +
                       ": JSON syntax error: " + syntax_detail(e.what()));
    }
    // Number overflow ("1e999") carries no position: find the literal it quotes.
    std::string what = e.what();
    std::size_t offset = 0;
    if (auto open = what.find('\''), close = what.rfind('\'');
        open != std::string::npos && close > open) {
        const auto found = text.find(what.substr(open + 1, close - open - 1));
        if (found != std::string_view::npos) offset = found;
    }
    return failure(position_prefix(source, text, offset) +
                   ": JSON value not representable: " + syntax_detail(what));
}

} // namespace

ScenarioResult parse_scenario(std::string_view json_text, std::string_view source_name) {
    json root;
    try {
        root = json::parse(json_text.begin(), json_text.end());
    } catch (const json::exception& e) {
        return parse_failure(source_name, json_text, e);
    }

    const JsonLocator locator(json_text);
    const auto field_error = [&](const std::string& path, const std::string& message) {
        std::string line = std::string(source_name) + ":" + std::to_string(locator.line_of(path));
        if (!path.empty()) line += ": field '" + path + "'";
        return failure(line + ": " + message);
    };
    if (!locator.duplicate_key().empty())
        return field_error(locator.duplicate_key(),
                           "appears twice in the same object; keep one (only the last counts)");

    try {
        ScenarioResult result;
        result.scenario = scenario_from_json(root);
        return result;
    } catch (const FieldError& e) {
        return field_error(e.path, e.message);
    }
}

ScenarioResult load_scenario_file(const std::filesystem::path& file) {
    const std::string name = file.string();
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        return failure(name + ": cannot read the scenario file: it is a directory");
    // Before opening: opening a FIFO blocks, and /dev/zero never ends.
    if (const auto status = std::filesystem::status(file, ec); !ec && !std::filesystem::is_regular_file(status))
        return failure(name + ": cannot read the scenario file: not a regular file (a device, FIFO or socket)");
    errno = 0; // so a stale value is not blamed for a failed open
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        const int error = errno;
        return failure(name + ": cannot read the scenario file: " +
                       (error != 0 ? std::strerror(error) : "cannot open"));
    }
    if (const auto size = std::filesystem::file_size(file, ec); !ec && size > max_file_bytes)
        return failure(name + ": not a scenario file: " + std::to_string(size) +
                       " bytes is far too large");
    // Read at most one byte past the limit: a file that grows while read is still bounded.
    std::string text(max_file_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return failure(name + ": cannot read the scenario file: read error");
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes) return failure(name + ": not a scenario file: far too large");
    return parse_scenario(text, name);
}

} // namespace statelab

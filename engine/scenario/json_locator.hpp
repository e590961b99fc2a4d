#pragma once
// Maps field paths ("traffic.users", "timeline[1].target") back to lines in the raw JSON text,
// because nlohmann::json forgets where a value came from and a user fixing a scenario file
// needs the line, not just the field.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace statelab {

class JsonLocator {
public:
    // `text` must already be valid JSON (the scan trusts the syntax) and outlive the locator.
    explicit JsonLocator(std::string_view text);

    // 1-based line of the field's key (object member) or value start (array element). A path
    // that is not in the text (a missing field) resolves to its nearest enclosing value, so
    // "a missing key" points at the object that lacks it.
    int line_of(std::string path) const;

    // The first key that appears twice in one object, e.g. "traffic.users"; nlohmann keeps
    // only one of the values silently, which would hide an edit that "did nothing".
    const std::string& duplicate_key() const { return m_duplicate; }

private:
    void scan_value(const std::string& path, int depth);
    void skip_value();
    void skip_string();
    void skip_whitespace();
    std::string read_key();
    int line_at(std::size_t offset) const;

    std::string_view m_text;
    std::size_t m_pos = 0;
    std::unordered_map<std::string, std::size_t> m_offsets;
    std::string m_duplicate;
};

// 1-based line and column of a 0-based byte offset (a parse error's position).
struct TextPosition {
    int line = 1;
    int column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

} // namespace statelab

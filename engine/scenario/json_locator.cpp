#include "scenario/json_locator.hpp"

#include <algorithm>

namespace statelab {

namespace {

// Deeper values are skipped without recording paths: scenario fields are at most three levels
// deep, and a recursive scan of hostile input ("[[[[...") must not exhaust the stack.
constexpr int max_recorded_depth = 32;

bool is_json_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

JsonLocator::JsonLocator(std::string_view text) : m_text(text) {
    // nlohmann accepts (and skips) a UTF-8 byte order mark; do the same so offsets agree.
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;
    skip_whitespace();
    m_offsets[""] = m_pos;
    scan_value("", 0);
}

int JsonLocator::line_of(std::string path) const {
    for (;;) {
        if (auto it = m_offsets.find(path); it != m_offsets.end()) return line_at(it->second);
        if (path.empty()) return 1;
        const auto cut = path.find_last_of(".[");
        path.resize(cut == std::string::npos ? 0 : cut);
    }
}

int JsonLocator::line_at(std::size_t offset) const {
    offset = std::min(offset, m_text.size());
    return 1 + static_cast<int>(std::count(m_text.begin(), m_text.begin() + offset, '\n'));
}

void JsonLocator::skip_whitespace() {
    while (m_pos < m_text.size() && is_json_space(m_text[m_pos]))
        ++m_pos;
}

void JsonLocator::skip_string() {
    ++m_pos; // opening quote
    while (m_pos < m_text.size() && m_text[m_pos] != '"')
        m_pos += m_text[m_pos] == '\\' ? 2 : 1;
    ++m_pos; // closing quote
}

// Keys are compared raw (escape sequences are not decoded): a key spelled with escapes just
// loses its line number, which is acceptable for a best-effort locator.
std::string JsonLocator::read_key() {
    const std::size_t start = m_pos + 1;
    skip_string();
    const std::size_t end = std::min(m_pos, m_text.size());
    return std::string(m_text.substr(start, end > start ? end - start - 1 : 0));
}

void JsonLocator::skip_value() {
    int nesting = 0;
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos];
        if (c == '"') {
            skip_string();
            if (nesting == 0) return;
            continue;
        }
        if (c == '{' || c == '[') ++nesting;
        if (c == '}' || c == ']') {
            if (nesting == 0) return; // end of the enclosing container: a scalar ended
            if (--nesting == 0) {
                ++m_pos;
                return;
            }
        }
        if (nesting == 0 && (c == ',' || is_json_space(c))) return;
        ++m_pos;
    }
}

void JsonLocator::scan_value(const std::string& path, int depth) {
    skip_whitespace();
    if (m_pos >= m_text.size()) return;
    const char open = m_text[m_pos];
    if ((open != '{' && open != '[') || depth >= max_recorded_depth) {
        skip_value();
        return;
    }
    const char close = open == '{' ? '}' : ']';
    ++m_pos;
    for (int index = 0;; ++index) {
        skip_whitespace();
        if (m_pos >= m_text.size()) return;
        if (m_text[m_pos] == close) {
            ++m_pos;
            return;
        }
        std::string child;
        if (open == '{') {
            const std::size_t key_offset = m_pos;
            const std::string key = read_key();
            child = path.empty() ? key : path + "." + key;
            const auto [it, inserted] = m_offsets.emplace(child, key_offset);
            if (!inserted && m_duplicate.empty()) {
                m_duplicate = child;
                it->second = key_offset; // point at the repeat, not the original
            }
            skip_whitespace();
            ++m_pos; // ':'
        } else {
            child = path + "[" + std::to_string(index) + "]";
            skip_whitespace();
            m_offsets[child] = m_pos;
        }
        const std::size_t before = m_pos;
        scan_value(child, depth + 1);
        skip_whitespace();
        if (m_pos < m_text.size() && m_text[m_pos] == ',') ++m_pos;
        if (m_pos == before) return; // not valid JSON after all: stop rather than spin
    }
}

TextPosition position_of(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    TextPosition position;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            line_start = i + 1;
        }
    }
    position.column = static_cast<int>(offset - line_start) + 1;
    return position;
}

} // namespace statelab

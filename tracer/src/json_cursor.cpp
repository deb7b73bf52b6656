// JsonCursor: streaming pull parser (see json_cursor.hpp).
#include "json_cursor.hpp"

namespace cogen::trace::detail {
namespace {
constexpr int max_depth = 64;

bool is_digit(int c) {
    return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}
}  // namespace

JsonCursor::JsonCursor(std::string_view text, std::uint64_t line)
    : m_p(text.data()), m_end(text.data() + text.size()), m_input(nullptr), m_line(line) {}

JsonCursor::JsonCursor(BufferedInput& input)
    : m_p(input.data()), m_end(input.data() + input.available()), m_input(&input), m_line(1) {}

void JsonCursor::start_line(std::string_view text, std::uint64_t line) {
    m_p = text.data();
    m_end = text.data() + text.size();
    m_line = line;
    m_failed = false;
    m_error.clear();
}

bool JsonCursor::refill() {
    if (m_input == nullptr) return false;
    m_input->consume(static_cast<std::size_t>(m_p - m_input->data()));
    const bool more = m_input->refill();
    m_p = m_input->data();
    m_end = m_p + m_input->available();
    return more && m_p != m_end;
}

std::uint64_t JsonCursor::offset() const {
    return m_input ? m_input->offset() + static_cast<std::uint64_t>(m_p - m_input->data()) : 0;
}

void JsonCursor::fail(std::string_view message) {
    if (m_input != nullptr) throw JsonError(m_line, std::string(message));  // a document
    if (m_failed) return;  // the first error is the one to report
    m_failed = true;
    // Up to a NUL, as a JsonError's what() hands it over (expect() may quote a NUL it found).
    m_error.assign(message.substr(0, message.find('\0')));
    m_p = m_end;  // what is left reads as the end of the line
}

int JsonCursor::peek_slow() {
    for (;;) {
        const int c = raw_peek();
        if (c == '\n') {
            ++m_line;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return c;
        }
        ++m_p;
    }
}

void JsonCursor::expect(char c) {
    const int got = peek();
    if (got == c) {
        ++m_p;
        return;
    }
    // Worded on the stack, not in a std::string: a damaged JSONL file fails here on line
    // after line, and a line's cursor keeps its error in the capacity it has.
    if (got < 0) {
        char words[] = "unexpected end of input, expected '?'";
        words[35] = c;
        return fail(std::string_view{words, sizeof words - 1});
    }
    char words[] = "expected '?', found '?'";
    words[10] = c;
    words[21] = static_cast<char>(got);
    fail(std::string_view{words, sizeof words - 1});
}

bool JsonCursor::next_member(std::string& key, bool& first, std::size_t max_key) {
    int c = peek();
    if (c == '}') {
        ++m_p;
        return false;
    }
    if (!first) {
        expect(',');
        c = peek();
    }
    first = false;
    if (c != '"') {
        fail(c < 0 ? "unexpected end of input inside an object" : "expected a key");
        return false;
    }
    read_string(key, max_key);
    expect(':');
    return !m_failed;
}

bool JsonCursor::next_element(bool& first) {
    const int c = peek();
    if (c == ']') {
        ++m_p;
        return false;
    }
    if (c < 0) {
        fail("unexpected end of input inside an array");
        return false;
    }
    if (!first) expect(',');
    first = false;
    return !m_failed;
}

std::uint32_t JsonCursor::read_hex4() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
        const int c = raw_peek();
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        if (d < 0) {
            fail("bad \\u escape in a string");
            return 0;
        }
        v = v * 16 + static_cast<std::uint32_t>(d);
        ++m_p;
    }
    return v;
}

void JsonCursor::read_string(std::string& out, std::size_t max_bytes) {
    out.clear();
    if (peek() != '"') return fail("expected a string");
    ++m_p;
    for (;;) {
        // Fast path: copy the run of plain characters in the current window at once.
        const char* run = m_p;
        while (m_p != m_end && *m_p != '"' && *m_p != '\\' &&
               static_cast<unsigned char>(*m_p) >= 0x20) {
            ++m_p;
        }
        out.append(run, m_p);
        if (out.size() > max_bytes)
            return fail("string longer than " + std::to_string(max_bytes) + " bytes");
        const int c = raw_peek();
        if (c < 0) return fail("unexpected end of input inside a string");
        if (c != '"' && c != '\\' && c >= 0x20) continue;  // the window ended mid-run
        ++m_p;
        if (c == '"') return;
        if (c != '\\') return fail("control character inside a string");
        const int e = raw_peek();
        if (e < 0) return fail("unexpected end of input inside a string");
        ++m_p;
        switch (e) {
            case '"':
                out.push_back('"');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '/':
                out.push_back('/');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'u': {
                std::uint32_t cp = read_hex4();
                if (m_failed) return;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    // A high surrogate must be followed by \u and a low surrogate.
                    if (raw_peek() != '\\') return fail("unpaired surrogate in a string");
                    ++m_p;
                    if (raw_peek() != 'u') return fail("unpaired surrogate in a string");
                    ++m_p;
                    const std::uint32_t low = read_hex4();
                    if (m_failed) return;
                    if (low < 0xDC00 || low > 0xDFFF) return fail("unpaired surrogate in a string");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return fail("unpaired surrogate in a string");
                }
                append_utf8(out, cp);
                break;
            }
            default:
                return fail("bad escape in a string");
        }
    }
}

void JsonCursor::read_number_tail() {
    // After the integer part: an optional fraction and exponent, validated and skipped.
    int c = raw_peek();
    if (c == '.') {
        ++m_p;
        if (!is_digit(raw_peek())) return fail("bad number");
        while (is_digit(raw_peek())) ++m_p;
        c = raw_peek();
    }
    if (c == 'e' || c == 'E') {
        ++m_p;
        c = raw_peek();
        if (c == '+' || c == '-') ++m_p;
        if (!is_digit(raw_peek())) return fail("bad number");
        while (is_digit(raw_peek())) ++m_p;
    }
}

JsonCursor::IntStatus JsonCursor::read_uint64(std::uint64_t& value) {
    int c = peek();
    bool negative = false;
    if (c == '-') {
        negative = true;
        ++m_p;
        c = raw_peek();
    }
    if (!is_digit(c)) {
        fail(c == '"' ? "expected a number, found a string" : "expected a number");
        return IntStatus::not_integer;  // (a line's cursor: failed() is what counts)
    }
    std::uint64_t v = 0;
    bool overflow = false;
    while (is_digit(c = raw_peek())) {
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10) overflow = true;
        v = v * 10 + d;
        ++m_p;
    }
    const bool fractional = c == '.' || c == 'e' || c == 'E';
    read_number_tail();
    if (fractional || m_failed) return IntStatus::not_integer;
    if (overflow || (negative && v != 0)) return IntStatus::out_of_range;
    value = v;
    return IntStatus::ok;
}

JsonCursor::IntStatus JsonCursor::read_int64(std::int64_t& value) {
    bool negative = false;
    if (peek() == '-') {
        negative = true;
        ++m_p;
        if (!is_digit(raw_peek())) {
            fail("bad number");
            return IntStatus::not_integer;
        }
    }
    std::uint64_t magnitude = 0;
    const IntStatus status = read_uint64(magnitude);
    if (status != IntStatus::ok) return status;
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
    if (magnitude > limit) return IntStatus::out_of_range;
    value =
        negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
    return IntStatus::ok;
}

void JsonCursor::read_literal(std::string_view word) {
    for (char w : word) {
        if (raw_peek() != w) return fail("bad literal");
        ++m_p;
    }
}

void JsonCursor::skip_value() {
    skip_value(0);
}

void JsonCursor::skip_value(int depth) {
    if (depth > max_depth) return fail("values nested deeper than " + std::to_string(max_depth));
    const int c = peek();
    std::string scratch;
    switch (c) {
        case '{': {
            ++m_p;
            bool first = true;
            while (next_member(scratch, first, std::size_t{1} << 20)) skip_value(depth + 1);
            return;
        }
        case '[': {
            ++m_p;
            bool first = true;
            while (next_element(first)) skip_value(depth + 1);
            return;
        }
        case '"':
            read_string(scratch, std::size_t{1} << 20);
            return;
        case 't':
            read_literal("true");
            return;
        case 'f':
            read_literal("false");
            return;
        case 'n':
            read_literal("null");
            return;
        default: {
            if (c != '-' && !is_digit(c))
                return fail(c < 0 ? "unexpected end of input" : "expected a value");
            std::int64_t ignored = 0;
            read_int64(ignored);
        }
    }
}

}  // namespace cogen::trace::detail

// JsonCursor: a small pull parser over JSON text, in memory (one JSONL line) or streamed from
// a BufferedInput (a JSON document of any size). It never builds a DOM, caps string sizes and
// nesting depth, and reports errors with the line they are on. Private to the reader.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "buffered_input.hpp"

namespace cogen::trace::detail {

/// A syntax error (or a value the caller cannot take) at a line of the input.
class JsonError : public std::runtime_error {
  public:
    JsonError(std::uint64_t line, const std::string& message)
        : std::runtime_error(message), m_line(line) {}
    std::uint64_t line() const noexcept { return m_line; }

  private:
    std::uint64_t m_line;
};

/// A syntax error ends the parse in one of two ways. A streamed document's cursor throws
/// JsonError: nothing after the error can be read. A line's cursor (JSONL) keeps the first
/// error instead and reads as ended from there on (failed(), error()): a damaged file may
/// have a bad line in every few, and a throw per line costs more than parsing the line
/// (microseconds under a sanitizer). Every reading function returns early once it failed.
class JsonCursor {
  public:
    /// Parses `text` (one JSONL line); errors report `line`. Does not throw: see failed().
    JsonCursor(std::string_view text, std::uint64_t line);
    /// Streams from `input`; line numbers count from 1. Errors throw JsonError.
    explicit JsonCursor(BufferedInput& input);
    /// A line's cursor parses another line (a decoder's one cursor: its error text keeps
    /// the capacity it has).
    void start_line(std::string_view text, std::uint64_t line);
    JsonCursor(const JsonCursor&) = delete;
    JsonCursor& operator=(const JsonCursor&) = delete;

    /// The next non-space character without consuming it, or -1 at the end.
    int peek() {
        // Fast path: most tokens follow their separator directly.
        if (m_p != m_end && static_cast<unsigned char>(*m_p) > ' ') {
            return static_cast<unsigned char>(*m_p);
        }
        return peek_slow();
    }
    void expect(char c);
    /// True when only white space is left.
    bool at_end() { return peek() < 0; }

    /// `begin_object(); bool first = true; while (next_member(key, first)) { read value }`
    void begin_object() { expect('{'); }
    bool next_member(std::string& key, bool& first, std::size_t max_key = 256);
    void begin_array() { expect('['); }
    bool next_element(bool& first);

    void read_string(std::string& out, std::size_t max_bytes);
    enum class IntStatus { ok, not_integer, out_of_range };
    /// Reads a JSON number; ok only when it is an integer that fits.
    IntStatus read_int64(std::int64_t& value);
    IntStatus read_uint64(std::uint64_t& value);
    /// Skips any value (depth-limited).
    void skip_value();

    std::uint64_t line() const noexcept { return m_line; }
    std::uint64_t offset() const;
    /// A syntax error: throws JsonError (a document's cursor), or keeps the first error and
    /// ends the input (a line's cursor).
    void fail(std::string_view message);
    /// A line's cursor: true once it met a syntax error, which error() words.
    bool failed() const noexcept { return m_failed; }
    const std::string& error() const noexcept { return m_error; }

  private:
    int raw_peek() {
        if (m_p == m_end && !refill()) return -1;
        return static_cast<unsigned char>(*m_p);
    }
    bool refill();
    int peek_slow();
    void skip_value(int depth);
    void read_number_tail();
    void read_literal(std::string_view word);
    std::uint32_t read_hex4();

    const char* m_p;
    const char* m_end;
    BufferedInput* m_input;
    std::uint64_t m_line;
    bool m_failed = false;
    std::string m_error;
};

}  // namespace cogen::trace::detail

// JsonlLines: JSON Lines records decoded one whole line at a time into a ReadState — the
// header first, then strings and events. JsonlDecoder feeds it the lines it cuts from chunks
// (a live feed); the reader feeds it a file's lines, with a ReadState of its own (one whose
// report nobody sees only counts its problems). Private to the reader.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "json_cursor.hpp"
#include "read_state.hpp"
#include "record_fields.hpp"

namespace cogen::trace::detail {

class JsonlLines {
  public:
    explicit JsonlLines(ReadState& state) : m_state(state) {}

    /// One line without its newline; line_number is for errors (JsonlDecoder::decode_line).
    void decode_line(std::string_view line, std::uint64_t line_number);
    /// A line that could not even be read (JsonlDecoder::reject_line).
    void reject_line(std::uint64_t line_number, const std::string& why);
    /// True once the header line has been read.
    bool has_header() const noexcept { return m_header_seen; }

  private:
    ReadState& m_state;
    JsonCursor m_cursor{{}, 0};  // every line's (JsonCursor::start_line)
    RecordFields m_fields;
    std::string m_key;
    bool m_header_seen = false;
};

}  // namespace cogen::trace::detail

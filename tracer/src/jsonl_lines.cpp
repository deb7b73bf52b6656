// JsonlLines: JSON Lines records, a whole line at a time (see jsonl_lines.hpp).
#include "jsonl_lines.hpp"

namespace cogen::trace::detail {

void JsonlLines::decode_line(std::string_view line, std::uint64_t line_number) {
    ReadState& state = m_state;
    state.report().lines = line_number;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
        line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) return;

    RecordFields& f = m_fields;
    f.reset();
    // A line's cursor does not throw: a syntax error ends the line (JsonCursor).
    m_cursor.start_line(line, line_number);
    read_record(m_cursor, f, m_key, state.options().max_line_bytes);
    if (!m_cursor.at_end()) m_cursor.fail("unexpected text after the record");
    if (m_cursor.failed()) return state.problem(line_number, "", m_cursor.error());

    if (!m_header_seen) {
        if (f.has_type && f.type == "header") {
            m_header_seen = true;
            if (f.bad()) return state.problem(line_number, f.bad_field, f.bad_message);
            if (!f.has_v) state.fatal(line_number, "v", "the header has no version");
            if (f.v != trace_format_version) {
                state.fatal(line_number, "v",
                            "unsupported version " + std::to_string(f.v) +
                                " (this reader knows version " +
                                std::to_string(trace_format_version) + ")");
            }
            record_to_header(f, state.data().header);
            return;
        }
        m_header_seen = true;  // lenient: go on with a default header
        state.problem(line_number, "type", "the first line must be the header");
    }
    if (f.has_type) {
        if (f.type == "string") return state.add_string(f, line_number);
        if (f.type == "event") return state.add_event(f, line_number);
        if (f.type == "header") return state.problem(line_number, "type", "a second header");
        return state.problem(line_number, "type", "unknown record type \"" + f.type + "\"");
    }
    state.add_event(f, line_number);
}

void JsonlLines::reject_line(std::uint64_t line_number, const std::string& why) {
    m_state.report().lines = line_number;
    m_state.problem(line_number, "", why);
}

}  // namespace cogen::trace::detail

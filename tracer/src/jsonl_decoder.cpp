// JsonlDecoder: JSON Lines records into a TraceData (see jsonl_decoder.hpp).
#include "cogen/trace/jsonl_decoder.hpp"

#include "json_cursor.hpp"
#include "read_state.hpp"

namespace cogen::trace {

struct JsonlDecoder::Impl {
    Impl(TraceData& data, const ReadOptions& options) : state(data, options) {}
    detail::ReadState state;
    detail::RecordFields fields;
    std::string key;
    bool header_seen = false;
    // feed(): the partial last line, the line counter, and whether we are skipping the rest
    // of a line that grew past the limit.
    std::string partial;
    std::uint64_t line = 0;
    bool discarding = false;
};

JsonlDecoder::JsonlDecoder(TraceData& into, ReadOptions options)
    : m_impl(std::make_unique<Impl>(into, options)) {}

JsonlDecoder::~JsonlDecoder() = default;

bool JsonlDecoder::has_header() const noexcept {
    return m_impl->header_seen;
}

const ReadReport& JsonlDecoder::report() const noexcept {
    return m_impl->state.report();
}

void JsonlDecoder::decode_line(std::string_view line, std::uint64_t line_number) {
    Impl& m = *m_impl;
    detail::ReadState& state = m.state;
    state.report().lines = line_number;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
        line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) return;

    detail::RecordFields& f = m.fields;
    f.reset();
    try {
        detail::JsonCursor cursor{line, line_number};
        detail::read_record(cursor, f, m.key, state.options().max_line_bytes);
        if (!cursor.at_end()) cursor.fail("unexpected text after the record");
    } catch (const detail::JsonError& e) {
        return state.problem(line_number, "", e.what());
    }

    if (!m.header_seen) {
        if (f.has_type && f.type == "header") {
            m.header_seen = true;
            if (f.bad()) return state.problem(line_number, f.bad_field, f.bad_message);
            if (!f.has_v) state.fatal(line_number, "v", "the header has no version");
            if (f.v != trace_format_version) {
                state.fatal(line_number, "v",
                            "unsupported version " + std::to_string(f.v) +
                                " (this reader knows version " +
                                std::to_string(trace_format_version) + ")");
            }
            detail::record_to_header(f, state.data().header);
            return;
        }
        m.header_seen = true;  // lenient: go on with a default header
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

void JsonlDecoder::reject_line(std::uint64_t line_number, const std::string& why) {
    m_impl->state.report().lines = line_number;
    m_impl->state.problem(line_number, "", why);
}

std::size_t JsonlDecoder::feed(std::string_view bytes) {
    Impl& m = *m_impl;
    const std::uint64_t before = m.state.report().events;
    const std::size_t limit = m.state.options().max_line_bytes;
    while (!bytes.empty()) {
        const std::size_t nl = bytes.find('\n');
        const std::string_view piece = bytes.substr(0, nl);
        if (!m.discarding) {
            if (m.partial.size() + piece.size() > limit) {
                m.discarding = true;
                m.partial.clear();
            } else {
                m.partial.append(piece);
            }
        }
        if (nl == std::string_view::npos) break;
        bytes.remove_prefix(nl + 1);
        ++m.line;
        if (m.discarding) {
            m.discarding = false;
            reject_line(m.line, "line longer than " + std::to_string(limit) + " bytes");
        } else {
            decode_line(m.partial, m.line);
        }
        m.partial.clear();
    }
    return static_cast<std::size_t>(m.state.report().events - before);
}

void JsonlDecoder::finish() {
    Impl& m = *m_impl;
    if (m.discarding) {
        m.discarding = false;
        reject_line(m.line + 1, "line longer than " +
                                    std::to_string(m.state.options().max_line_bytes) + " bytes");
    } else if (!m.partial.empty()) {
        decode_line(m.partial, m.line + 1);
    }
    m.partial.clear();
}

}  // namespace cogen::trace

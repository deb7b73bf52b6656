// JsonlDecoder: JSON Lines records into a TraceData (see jsonl_decoder.hpp). The chunks
// are cut into lines here; each line is decoded by detail::JsonlLines.
#include "cogen/trace/jsonl_decoder.hpp"

#include "jsonl_lines.hpp"
#include "read_state.hpp"

namespace cogen::trace {

struct JsonlDecoder::Impl {
    Impl(TraceData& data, const ReadOptions& options) : state(data, options), lines(state) {}
    detail::ReadState state;
    detail::JsonlLines lines;
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
    return m_impl->lines.has_header();
}

const ReadReport& JsonlDecoder::report() const noexcept {
    return m_impl->state.report();
}

void JsonlDecoder::decode_line(std::string_view line, std::uint64_t line_number) {
    m_impl->lines.decode_line(line, line_number);
}

void JsonlDecoder::reject_line(std::uint64_t line_number, const std::string& why) {
    m_impl->lines.reject_line(line_number, why);
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

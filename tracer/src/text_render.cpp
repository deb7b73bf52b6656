// render_text: one readable, time-free line per event (see text_render.hpp).
#include "cogen/trace/text_render.hpp"

namespace cogen::trace {
namespace {

constexpr std::size_t seq_column = 6;  // "#12345"

}  // namespace

TextRenderer::TextRenderer(const StringTable& strings, TextOptions options)
    : m_strings(strings), m_options(options) {}

std::string_view TextRenderer::text(std::uint32_t id) const {
    return m_strings.get(id);
}

std::string_view TextRenderer::coro_name(std::uint64_t coro) const {
    const auto it = m_names.find(coro);
    return it == m_names.end() ? std::string_view{} : std::string_view{it->second};
}

std::uint64_t TextRenderer::coro_number(std::uint64_t raw) {
    if (!m_options.normalize_ids || raw == 0) return raw;
    return m_coro_ids.try_emplace(raw, m_coro_ids.size() + 1).first->second;
}

std::uint64_t TextRenderer::op_number(std::uint64_t raw) {
    if (!m_options.normalize_ids || raw == 0) return raw;
    return m_op_ids.try_emplace(raw, m_op_ids.size() + 1).first->second;
}

// A seq an event refers to (a poll, a timer.fire) becomes that event's position; one the
// renderer has not seen reads #0.
std::uint64_t TextRenderer::seq_number(std::uint64_t seq) {
    if (!m_options.normalize_ids) return seq;
    const auto it = m_seq_positions.find(seq);
    return it == m_seq_positions.end() ? 0 : it->second;
}

std::string TextRenderer::line(const TraceEvent& e) {
    ++m_position;
    m_seq_positions[e.seq] = m_position;
    if (e.kind == EventKind::coro_spawn) {
        m_names[e.coro] =
            e.text != 0 ? std::string(m_strings.get(e.text)) : default_coro_name(e.coro);
    }
    std::string out = "#" + std::to_string(m_options.normalize_ids ? m_position : e.seq);
    if (out.size() < seq_column) out.append(seq_column - out.size(), ' ');
    out.push_back(' ');
    out.append(describe_event(e, *this));
    return out;
}

std::string render_text(const TraceData& data, TextOptions options) {
    TextRenderer renderer{data.strings, options};
    std::string out;
    for (const TraceEvent& e : data.events) {
        out.append(renderer.line(e));
        out.push_back('\n');
    }
    return out;
}

}  // namespace cogen::trace

// Session: the model, the cursor and what derives from the state at the cursor (session.hpp).
#include "session.hpp"

#include <algorithm>

#include "cogen/viz/stall_detector.hpp"
#include "load_progress.hpp"

namespace cogen::viz {
namespace {

// Findings measured against a "now" that moves (live mode) are recomputed at most this often
// in scheduler time, and the whole trace's findings once the model grew by this much.
constexpr std::uint64_t findings_now_step_ns = 50'000'000;
constexpr std::size_t trace_findings_growth = 20'000;

}  // namespace

Session::Session(ModelOptions options) : m_model(options), m_graph(WaitForGraph::build(m_state)) {}

std::string Session::window_note() const {
    if (m_model.dropped_events() == 0) return {};
    return "window: the last " + group_digits(m_model.size()) + " events (#" +
           std::to_string(m_model.first_seq()) + " to #" + std::to_string(m_model.last_seq()) +
           "); " + group_digits(m_model.dropped_events()) + " earlier events fell off (to #" +
           std::to_string(m_model.dropped_upto_seq()) + ")";
}

void Session::ingest(const trace::TraceData& data) {
    m_model.set_header(data.header);
    for (std::uint32_t id = 1; id < data.strings.size(); ++id) {
        m_model.add_string(id, data.strings.get(id));
    }
    add_events(data.events);
}

std::size_t Session::add_events(std::span<const TraceEvent> events) {
    // The model takes heartbeats too: a live feed's (seq 0) only move its now_ns(). What it
    // stored, counted by the model: a bounded window may trim inside the call, so its size
    // can end below where it began.
    const std::size_t stored = m_model.add_events(events).events;
    set_live_now(m_model.now_ns());
    return stored;
}

void Session::reset() {
    m_model.clear();
    m_state = ModelState{};
    m_cursor = 0;
    m_live_now = 0;
    m_findings.clear();
    m_trace_findings.clear();
    m_graph = WaitForGraph::build(m_state);
    m_graph_seq = ~std::uint64_t{0};
    m_findings_seq = ~std::uint64_t{0};
    m_trace_findings_size = ~std::size_t{0};
    m_trace_findings_at = 0;
}

void Session::seek(std::uint64_t seq) {
    m_follow = false;
    if (m_model.empty()) {
        m_cursor = 0;
        return;
    }
    m_cursor = std::clamp(seq, m_model.first_seq(), m_model.last_seq());
    m_follow = m_growing && m_cursor == m_model.last_seq();
}

void Session::set_growing(bool on) {
    if (m_growing && !on && m_follow) {
        m_cursor = m_model.last_seq();
        m_follow = false;
    }
    m_growing = on;
}

void Session::refresh(std::uint64_t now_ns, Needs needs) {
    if (m_follow || m_cursor == 0) m_cursor = m_model.last_seq();
    if (!m_model.empty()) m_cursor = std::clamp(m_cursor, m_model.first_seq(), m_model.last_seq());
    const bool moved =
        m_state.seq != m_cursor ||
        m_state.events_applied != m_model.dropped_events() + m_model.count_upto(m_cursor);
    if (moved) m_model.seek(m_state, m_cursor);

    const std::uint64_t now = std::max(now_ns, m_state.t_ns);
    m_now_ns = now;
    const bool graph_stale = m_graph_seq != m_state.seq || m_graph_events != m_state.events_applied;
    if (needs.wait_graph && graph_stale) {
        m_graph = WaitForGraph::build(m_state);
        m_graph_seq = m_state.seq;
        m_graph_events = m_state.events_applied;
    }
    const bool findings_stale =
        m_findings_seq != m_state.seq || m_findings_events != m_state.events_applied ||
        now >= m_findings_now + findings_now_step_ns || now < m_findings_now;
    if (needs.findings && findings_stale) {
        m_findings = find_stalls(m_model, m_state, now);
        m_findings_seq = m_state.seq;
        m_findings_events = m_state.events_applied;
        m_findings_now = now;
    }

    const std::size_t size = m_model.size();
    // While a file is indexed, each time it doubles: the work stays about twice that of the
    // last time, however many frames are drawn meanwhile.
    const bool grown =
        m_trace_findings_size == ~std::size_t{0} ||
        (size != m_trace_findings_size &&
         (m_growing ? size >= 2 * m_trace_findings_size
                    : !m_follow || size >= m_trace_findings_size + trace_findings_growth ||
                          m_live_now >= m_trace_findings_at + 1'000'000'000));
    if (grown) {
        m_trace_findings = find_stalls_at_end(m_model);
        m_trace_findings_size = size;
        m_trace_findings_at = m_live_now;
    }
}

std::uint64_t Session::next_stall_after(std::uint64_t seq) const noexcept {
    std::uint64_t best = 0;
    for (const Finding& f : m_trace_findings) {
        if (f.since_seq > seq && (best == 0 || f.since_seq < best)) best = f.since_seq;
    }
    return best;
}

FrameData Session::frame(const DiagramLayout& layout, double clock_s, double motion_s) const {
    return FrameData{m_model,          m_state, m_cursor, m_now_ns, m_findings,
                     m_trace_findings, m_graph, layout,   clock_s,  motion_s};
}

void Session::notify(Notice::Level level, std::string text) {
    m_notices.push_back({level, std::move(text)});
}

}  // namespace cogen::viz

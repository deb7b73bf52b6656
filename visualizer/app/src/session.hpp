// Session: what the three modes share — the TraceModel, the cursor (the event whose state
// every view shows), what is derived from the state at the cursor once per change (stall
// findings, the wait-for graph), and the notices shown at the top of the window.
#pragma once
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cogen/trace/trace_data.hpp"
#include "cogen/viz/diagram_layout.hpp"
#include "cogen/viz/stall_finding.hpp"
#include "cogen/viz/trace_model.hpp"
#include "cogen/viz/wait_graph.hpp"
#include "frame_data.hpp"

namespace cogen::viz {

/// A message for the user, shown in the window (and printed on stderr by whoever made it).
struct Notice {
    enum class Level { info, warning, error };
    Level level = Level::info;
    std::string text;
};

/// What the views need derived from the state at the cursor this frame.
struct Needs {
    bool findings = true;    ///< the stall findings at the cursor
    bool wait_graph = true;  ///< the wait-for graph
};

/// The model, the cursor and what derives from the state at the cursor, for one window.
class Session {
  public:
    /// `options` sizes the model (ModelOptions::keep_events / keep_bytes: a live window).
    explicit Session(ModelOptions options = {});

    TraceModel& model() noexcept { return m_model; }
    const TraceModel& model() const noexcept { return m_model; }

    /// Appends a whole trace (a live feed's heartbeats only move live_now()).
    void ingest(const trace::TraceData& data);
    /// Announces one interned string (live and in-process modes).
    void add_string(std::uint32_t id, std::string_view text) { m_model.add_string(id, text); }
    /// Appends events as they arrive; returns how many the model accepted.
    std::size_t add_events(std::span<const TraceEvent> events);
    /// Forgets the trace (a live program restarted).
    void reset();

    // --- The cursor ----------------------------------------------------------

    std::uint64_t cursor() const noexcept { return m_cursor; }
    /// Moves the cursor (clamped to the trace) and stops following the latest event, except
    /// while the trace grows (set_growing): then a seek to its last event follows it.
    void seek(std::uint64_t seq);
    /// Follow the latest event as the model grows (live and in-process modes).
    void follow(bool on) noexcept { m_follow = on; }
    bool following() const noexcept { return m_follow; }
    /// A file still being indexed (TraceLoader): the trace's end moves. The cursor stays
    /// inside what is indexed; a seek to its end (End, >|, the slider's right end) follows it
    /// as it grows, as in attach mode; the whole trace's stall findings are worked out again
    /// each time the trace doubles. set_growing(false) once complete: a cursor that followed
    /// stays on the last event, and the findings are worked out for the whole trace.
    void set_growing(bool on);
    bool growing() const noexcept { return m_growing; }

    /// Brings the state at the cursor and what derives from it up to date. `now_ns` is the
    /// time stall findings are measured at (0: the state's own time). What `needs` leaves
    /// out is computed the next time it is needed.
    void refresh(std::uint64_t now_ns = 0, Needs needs = {});

    const ModelState& state() const noexcept { return m_state; }
    const std::vector<Finding>& findings() const noexcept { return m_findings; }
    const std::vector<Finding>& trace_findings() const noexcept { return m_trace_findings; }
    const WaitForGraph& wait_graph() const noexcept { return m_graph; }
    std::uint64_t now_ns() const noexcept { return m_now_ns; }
    /// The program's time on a live feed (latest heartbeat or event), 0 if unknown.
    std::uint64_t live_now() const noexcept { return m_live_now; }
    void set_live_now(std::uint64_t t) noexcept { m_live_now = std::max(m_live_now, t); }

    /// The first seq after the cursor where a stall of the whole trace began, 0 if none.
    std::uint64_t next_stall_after(std::uint64_t seq) const noexcept;

    /// What the panels read this frame.
    FrameData frame(const DiagramLayout& layout, double clock_s, double motion_s) const;

    /// With a bounded window, once events fell off: "window: the last 1,000,000 events
    /// (#41 to #1000040); 40 earlier events fell off (#1 to #40)". Else empty.
    std::string window_note() const;

    // --- Notices -----------------------------------------------------------------

    void notify(Notice::Level level, std::string text);
    const std::vector<Notice>& notices() const noexcept { return m_notices; }
    void clear_notices() { m_notices.clear(); }

  private:
    TraceModel m_model;
    ModelState m_state;
    std::uint64_t m_cursor = 0;
    bool m_follow = false;
    bool m_growing = false;
    std::uint64_t m_now_ns = 0;
    std::uint64_t m_live_now = 0;
    std::vector<Finding> m_findings;
    std::vector<Finding> m_trace_findings;
    WaitForGraph m_graph;
    // What the derived data was computed for.
    std::uint64_t m_graph_seq = ~std::uint64_t{0};
    std::size_t m_graph_events = 0;
    std::uint64_t m_findings_seq = ~std::uint64_t{0};
    std::size_t m_findings_events = 0;
    std::uint64_t m_findings_now = 0;
    std::size_t m_trace_findings_size = ~std::size_t{0};
    std::uint64_t m_trace_findings_at = 0;
    std::vector<Notice> m_notices;
};

}  // namespace cogen::viz

// StallTracker: the stall findings of a trace of any length, from the state reducer alone.
// It keeps the replayed state and, beside it, only what the findings cite and the state does
// not hold (the event that ended each coroutine's longest run, whether a retried wait had a
// possible waker, the resumes of the last few million events for starvation): no events, no
// lanes, no checkpoints, so its memory follows the coroutines alive, not the trace's length.
// `cogen-trace stalls` streams a file through it; the GUI keeps using TraceModel, which gives
// the same findings (tests/visualizer/stall_examples_tests.cpp).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cogen/instrument.hpp"
#include "cogen/trace/trace_data.hpp"
#include "cogen/viz/model_state.hpp"
#include "cogen/viz/stall_finding.hpp"
#include "cogen/viz/stall_source.hpp"

namespace cogen::viz {

/// Stall findings of a stream of events, in bounded memory.
///
///     StallTracker tracker{options};
///     tracker.add_string(id, text);  tracker.add_event(e);   // per string and event
///     for (const Finding& f : tracker.findings_at_end()) ...  // as find_stalls_at_end
///
/// Not thread-safe: feed and read it from one thread.
class StallTracker {
  public:
    /// Starvation looks at the resumes of at most this many latest events (the detector
    /// reads at most 4M events per evaluation anyway).
    static constexpr std::size_t run_history = std::size_t{1} << 22;
    /// Coroutines that finished or were killed more than about this many events ago are
    /// forgotten (ModelState::forget_ended_before), as a TraceModel window of this size does.
    /// (2^20 until 2026-12-07: at 100M events where 1.38M coroutines come and go, 2^18
    /// held a state a third smaller and took 9 % less time, with the same findings.)
    static constexpr std::size_t keep_ended = std::size_t{1} << 18;

    /// `options`: the thresholds the findings will be judged with (retry-loop needs its
    /// threshold while the events stream by).
    explicit StallTracker(StallOptions options = {});

    /// Announces an interned string (Instrument::on_string).
    void add_string(std::uint32_t id, std::string_view text);
    /// Applies one event. Returns false (and ignores it) when its seq does not follow the
    /// last one; a trace.heartbeat outside the numbering only moves now_ns() forward
    /// (TraceModel::add_event's rules).
    bool add_event(const TraceEvent& event);
    /// add_event() for each event of a batch, in order.
    void add_events(std::span<const TraceEvent> events);

    /// The state after every event so far.
    const ModelState& latest() const noexcept { return m_state; }
    /// The latest time the trace vouches for: the last event's, or a later heartbeat's.
    std::uint64_t now_ns() const noexcept { return std::max(m_last_t_ns, m_heartbeat_t_ns); }
    /// Events applied (heartbeats outside the numbering and refused events excluded).
    std::uint64_t events() const noexcept { return m_count; }
    std::uint64_t rejected_events() const noexcept { return m_rejected; }
    /// Approximate heap bytes held.
    std::size_t approx_bytes() const noexcept;

    /// The findings of the latest state at scheduler time `now_ns` (find_stalls()).
    std::vector<Finding> findings(std::uint64_t now_ns) const;
    /// As find_stalls_at_end(): on the state at the last sched.run.end (before the
    /// scheduler's destructor kills what was left), else the latest, at now_ns().
    std::vector<Finding> findings_at_end() const;

  private:
    class Source;
    struct SliceEndAt {
        std::uint64_t seq = 0;
        SliceEnd end;
    };
    struct RetryAt {
        std::uint64_t seq = 0;
        bool wakers = false;
    };
    // What the findings cite beyond the state, per coroutine; copied with the state at
    // each sched.run.end.
    struct Extras {
        std::unordered_map<std::uint64_t, SliceEndAt> slice_ends;  // of the longest slice
        std::unordered_map<std::uint64_t, RetryAt> retries;        // at the latest timeout
    };
    struct RunRecord {
        std::uint64_t index = 0;  // position among the events applied
        RunEvent event;
    };
    struct Stretch {  // events with consecutive seqs from `seq`, the first at `index`
        std::uint64_t seq = 0;
        std::uint64_t index = 0;
    };

    void note_slice_end(const TraceEvent& e);
    void note_timeout(const TraceEvent& e);
    void resolve_awaited_op(const TraceEvent& e);
    void forget_old();
    std::size_t count_upto(std::uint64_t seq) const noexcept;
    std::vector<Finding> judge(const ModelState& state, const Extras& extras,
                               std::uint64_t now_ns) const;

    StallOptions m_options;
    trace::StringTable m_strings;
    ModelState m_state;
    Extras m_extras;
    struct AtEnd {
        ModelState state;
        Extras extras;
    };
    std::optional<AtEnd> m_at_end;
    // coro.suspend events with op 0 that ended a longest slice: the coroutine's next event
    // names the op if it is its op.process.
    std::unordered_map<std::uint64_t, std::uint64_t> m_pending_op;  // coro -> suspend seq
    std::deque<RunRecord> m_runs;
    std::vector<Stretch> m_stretches;
    std::deque<std::uint64_t> m_forget_marks;  // seqs at every forget_every-th event
    std::uint64_t m_count = 0;
    std::uint64_t m_last_seq = 0;
    std::uint64_t m_last_t_ns = 0;
    std::uint64_t m_heartbeat_t_ns = 0;
    std::uint64_t m_last_gap_seq = 0;  // of the last trace.drop
    std::uint64_t m_rejected = 0;
};

}  // namespace cogen::viz

// StallSource: what the stall detector reads besides the state it judges: interned strings,
// coroutine names, the event that ended a run slice, who ran in a stretch of the trace (for
// starvation) and whether a retried wait had a possible waker back then. Two sources: a
// TraceModel (ModelStallSource: the GUI, tests, whole traces) and a StallTracker (the
// reducer-only path of `cogen-trace stalls`, in memory that does not grow with the events).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cogen/instrument.hpp"
#include "cogen/viz/coroutine_state.hpp"

namespace cogen::viz {

class TraceModel;

/// The event that ended a run slice (RunSlice::end_seq): a coro.suspend, finish, fail or kill.
struct SliceEnd {
    EventKind kind = EventKind::coro_suspend;
    std::uint32_t op_type = 0;
    /// The op it awaits: the event's op, or, when a coro.suspend carries op 0 (ops numbered
    /// in process()), the op of the coroutine's next event if that is its op.process.
    std::uint64_t awaited_op = 0;
};

/// One event of interest to the starvation finding: a coro.resume, or a sched.active that
/// queued a coroutine at the front or in the urgent slot (`jump`).
struct RunEvent {
    std::uint64_t coro = 0;
    bool jump = false;
};

/// The stall detector's view of a trace (find_stalls(const StallSource&, ...)).
class StallSource {
  public:
    virtual ~StallSource() = default;
    /// The text of an interned string ("" for 0 or unknown ids).
    virtual std::string_view text(std::uint32_t id) const = 0;
    /// The coroutine's name, or "coro-<id>" when it has none.
    virtual std::string coro_name(std::uint64_t coro) const = 0;
    /// The event `end_seq` that ended a run slice of `coro`, or nullopt when it is not known.
    virtual std::optional<SliceEnd> slice_end(std::uint64_t coro, std::uint64_t end_seq) const = 0;
    /// Events with seq <= `seq`: a position for runs_between().
    virtual std::size_t count_upto(std::uint64_t seq) const = 0;
    /// Calls `visit` for each RunEvent among the events at positions [begin, end), in order
    /// (coroutine 0 and other events are left out).
    virtual void runs_between(std::size_t begin, std::size_t end,
                              const std::function<void(const RunEvent&)>& visit) const = 0;
    /// Whether, right after its latest timeout (c.retry_last_seq), a live coroutine other
    /// than `c` could have ended the wait it kept retrying (possible_wakers()).
    virtual bool retry_had_wakers(const CoroutineState& c) const = 0;
    /// seq of the last trace.drop at or before `seq`, 0 = no events were lost up to there.
    virtual std::uint64_t last_gap_upto(std::uint64_t seq) const = 0;
};

/// A TraceModel as a StallSource: it has every event (within its window), so it looks them
/// up and replays the state at the retry's last timeout.
class ModelStallSource final : public StallSource {
  public:
    explicit ModelStallSource(const TraceModel& model) : m_model(model) {}
    std::string_view text(std::uint32_t id) const override;
    std::string coro_name(std::uint64_t coro) const override;
    std::optional<SliceEnd> slice_end(std::uint64_t coro, std::uint64_t end_seq) const override;
    std::size_t count_upto(std::uint64_t seq) const override;
    void runs_between(std::size_t begin, std::size_t end,
                      const std::function<void(const RunEvent&)>& visit) const override;
    bool retry_had_wakers(const CoroutineState& c) const override;
    std::uint64_t last_gap_upto(std::uint64_t seq) const override;

  private:
    const TraceModel& m_model;
};

}  // namespace cogen::viz

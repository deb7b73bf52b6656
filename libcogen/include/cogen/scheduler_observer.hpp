// SchedulerObserver: the scheduler as a tool sees it — a view that lists the
// runnable pairs, a stepper that lets the learner pick the next one, a tracer
// that attaches its instrument late. Programs and operations do not need it;
// the umbrella header cogen/cogen.hpp leaves it out on purpose.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "cogen/coro.hpp"
#include "cogen/instrument.hpp"
#include "cogen/scheduler.hpp"

namespace cogen {

class Operation;

/// One runnable (coroutine, op) pair, as the learner's "be the scheduler"
/// view shows them (SchedulerObserver::ready_pairs).
struct ReadyPair {
    const Coroutine* coro = nullptr;
    const Operation* op = nullptr;  ///< the op it resumes with; nullptr at its start
    bool urgent = false;            ///< the last I/O completion of a poll: runs first
};

/// Read-mostly access to a scheduler's queue, timers and instrument. Cheap to
/// make (one reference); make one where needed:
///
///     cogen::SchedulerObserver observe{sched};
///     for (const cogen::ReadyPair& p : observe.ready_pairs()) ...
///
/// Like the scheduler itself it belongs to the scheduler's thread.
class SchedulerObserver {
  public:
    explicit SchedulerObserver(Scheduler& sched) noexcept : m_s(sched) {}

    Scheduler& scheduler() const noexcept { return m_s; }

    // --- The queue -------------------------------------------------------------
    /// The runnable pairs in the order cogen would run them (the urgent pair,
    /// then the active queue front to back).
    std::vector<ReadyPair> ready_pairs() const { return m_s.ready_pairs(); }
    /// Length of the active queue (plus the urgent pair).
    std::size_t active_size() const noexcept { return m_s.active_size(); }
    /// True when the next step() picks a pair from ready_pairs() (no chain of
    /// "now" transitions is in progress): the moment a choice is possible.
    bool at_pick() const noexcept { return m_s.at_pick(); }
    /// "Be the scheduler": run ready_pairs()[index] next instead of the first
    /// one, then make one transition like step(). Outside at_pick(), or with an
    /// index out of range, it is plain step().
    bool step_pick(std::size_t index) { return m_s.step_pick(index); }

    /// For a stepper that calls step() itself instead of run(): the
    /// sched.run.begin / sched.run.end events run() would put around its loop.
    void begin_run() { m_s.emit_run_begin(); }
    void end_run() { m_s.emit_run_end(); }

    // --- Coroutines and time ---------------------------------------------------
    /// The live coroutines (order is not meaningful).
    std::span<const Coroutine* const> coroutines() const noexcept {
        return {m_s.m_live.data(), m_s.m_live.size()};
    }
    /// 0 if something is runnable; else the time to the earliest deadline
    /// (0 if passed); nullopt when no timer is pending. (cogen's next_timer_delta)
    std::optional<std::chrono::nanoseconds> next_timer_delta() const {
        return m_s.next_timer_delta();
    }

    /// The proactor backend (its kind, name, pending registrations).
    Proactor& proactor() const noexcept { return *m_s.m_proactor; }
    /// The clock in use (never nullptr).
    const Clock& clock() const noexcept { return m_s.clock(); }
    /// Lends the scheduler another time source (nullptr: back to the built-in one) and returns
    /// the previous one (nullptr for the built-in). The new clock must go on from the old
    /// one's now(); between steps only; not owned. The visualizer lends a PausableClock so a
    /// paused window is not program time.
    Clock* exchange_clock(Clock* clock) noexcept { return m_s.exchange_clock(clock); }

    // --- The instrument --------------------------------------------------------
    bool tracing() const noexcept { return m_s.tracing(); }
    Instrument* instrument() const noexcept { return m_s.m_instrument; }
    /// Seq of the last emitted event (0 before the first).
    std::uint64_t last_seq() const noexcept { return m_s.m_seq; }
    /// Replaces the instrument from the next event on (nullptr: none). Not owned; an
    /// instrument made from COGEN_TRACE stays owned by the scheduler. The new instrument
    /// first hears every string interned so far, then a `sched.note` and one `coro.spawn` per
    /// live coroutine (its id, parent, name and the priority it was added with), so a
    /// viewer attached late knows who exists; events already emitted are not repeated.
    /// run_with_visualizer() uses it to attach a Capture to a scheduler built without one.
    /// Call it between steps, never from a coroutine of this scheduler. Like
    /// Options::instrument, it must outlive the scheduler or be detached before it dies.
    void set_instrument(Instrument* instrument) { m_s.set_instrument(instrument); }
    /// Swaps the instrument without announcing anything, and returns the one it replaces:
    /// for handing the stream back to an instrument that already heard everything (a wrapper
    /// that forwarded to it is taken away). Same rules as set_instrument otherwise.
    Instrument* exchange_instrument(Instrument* instrument) noexcept {
        return m_s.exchange_instrument(instrument);
    }

  private:
    Scheduler& m_s;
};

}  // namespace cogen

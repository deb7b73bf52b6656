// EventView: what each field of a TraceEvent means, per kind, as types. The one place that
// decodes `a`, `b`, `fd`, `text` and `target`: the tracer, the visualizer model and
// cogen-trace read events through it instead of by hand. Contract: docs/trace-format.md
// ("Reading an event in code").
#pragma once
#include <cstdint>
#include <optional>

#include "cogen/instrument.hpp"
#include "cogen/operation.hpp"  // Interest
#include "cogen/priority.hpp"

namespace cogen {

/// What an op.process parked on, as a typed reference (which field names it depends on
/// the outcome). A reader switches on `outcome`, then reads the one member that applies.
///
///     if (w.outcome == Outcome::join) wait_for(w.coro);
struct WaitObject {
    Outcome outcome = Outcome::ready;
    std::int32_t fd = -1;     ///< proactor: the descriptor
    std::uint32_t name = 0;   ///< signal, queue, pubsub, pipe, other: interned label, 0 = none
    std::uint64_t coro = 0;   ///< join, call: the awaited coroutine (0: a trace from before
                              ///< TraceEvent::target existed; its label then says "coro N")
    std::uint32_t label = 0;  ///< the wait label as written (any outcome), 0 = none
};

/// Why a parked op became ready (op.ready): the cause as an outcome, and the one id it
/// carries, typed — a coroutine or an event seq.
struct ReadyCause {
    Outcome outcome = Outcome::other;
    std::uint64_t coro = 0;  ///< signal/queue/pubsub/pipe: the waker; join/call: the coroutine
                             ///< that ended; cancel: who cancelled (0 = outside any coroutine)
    std::uint64_t seq = 0;   ///< proactor: the poll's seq; timer/timeout: the timer.fire's seq

    /// Whichever id the cause carries (files store it as op.ready.b).
    std::uint64_t id() const noexcept { return coro != 0 ? coro : seq; }
};

/// Which side of a queue (or pubsub) an op.process stands on.
enum class QueueSide : std::uint8_t {
    get,  ///< takes items: QGet, PSGet (waits for an item in an empty queue)
    put,  ///< adds items: QPut, PSPut (waits for room in a full queue)
};

/// A queue's fill level as an op.process reports it, right after process() ran.
///
///     if (auto q = v.queue_level(); q && q->side == QueueSide::put && q->full()) ...
struct QueueLevel {
    std::uint64_t length = 0;   ///< items held (pubsub: unread by its slowest subscriber)
    std::uint64_t maxsize = 0;  ///< 0 = unbounded
    QueueSide side = QueueSide::get;

    bool full() const noexcept { return maxsize != 0 && length >= maxsize; }
};

/// How an op.process's `target` is written, per what it carries (docs/trace-format.md,
/// "The target field"). The top two bits say which: 00 a coroutine id (join, call; or 0 =
/// none), 10 a queue level, 01 bytes an I/O op moved inside process() before it parked.
/// Operations return these from Operation::wait_target(); EventView decodes them.
namespace trace_target {
inline constexpr std::uint64_t tag_mask = std::uint64_t{3} << 62;
inline constexpr std::uint64_t tag_queue = std::uint64_t{2} << 62;
inline constexpr std::uint64_t tag_bytes = std::uint64_t{1} << 62;
inline constexpr std::uint64_t queue_put_bit = std::uint64_t{1} << 61;
inline constexpr std::uint64_t field_max = (std::uint64_t{1} << 30) - 1;  ///< saturates there

/// A queue's level: 30 bits of length, 30 bits of maxsize (both saturate), the side bit.
constexpr std::uint64_t queue_level(std::uint64_t length, std::uint64_t maxsize,
                                    QueueSide side) noexcept {
    const std::uint64_t len = length < field_max ? length : field_max;
    const std::uint64_t max = maxsize < field_max ? maxsize : field_max;
    return tag_queue | (side == QueueSide::put ? queue_put_bit : 0) | (max << 30) | len;
}
/// Bytes moved so far (62 bits); 0 bytes is written as no target at all.
constexpr std::uint64_t bytes(std::uint64_t moved) noexcept {
    return moved == 0 ? 0 : tag_bytes | (moved & ~tag_mask);
}
}  // namespace trace_target

/// Why op.cleanup ran (op.cleanup.a).
enum class CleanupReason : std::uint8_t { timeout, cancel };

/// A typed reading of one event. Cheap (one pointer); every accessor says which kind it
/// applies to and returns its "none" value (0, nullopt, false) on any other kind, so a
/// caller that asks the wrong question gets nothing rather than another field's number.
///
///     const EventView v{e};
///     if (auto w = v.wait()) show(w->outcome, w->coro);
class EventView {
  public:
    explicit EventView(const TraceEvent& event) noexcept : m_e(&event) {}
    /// A view of a temporary would dangle: keep the event in a variable first.
    explicit EventView(TraceEvent&&) = delete;

    const TraceEvent& event() const noexcept { return *m_e; }
    EventKind kind() const noexcept { return m_e->kind; }
    bool is(EventKind k) const noexcept { return m_e->kind == k; }

    // --- coro.spawn -----------------------------------------------------------------
    /// The spawning coroutine, 0 = top level.
    std::uint64_t parent() const noexcept { return is(EventKind::coro_spawn) ? id(m_e->a) : 0; }
    /// The spawn priority (resolved: never DEFAULT); nullopt for a code outside the enum.
    std::optional<Priority> priority() const noexcept {
        if (!is(EventKind::coro_spawn) || m_e->b < 0 || m_e->b > 3) return std::nullopt;
        return static_cast<Priority>(m_e->b);
    }
    /// The new coroutine's interned name.
    std::uint32_t coro_name() const noexcept { return is(EventKind::coro_spawn) ? m_e->text : 0; }

    // --- coro.resume ----------------------------------------------------------------
    std::optional<ResumeMode> resume_mode() const noexcept {
        if (!is(EventKind::coro_resume) || m_e->a < 0 || m_e->a > 2) return std::nullopt;
        return static_cast<ResumeMode>(m_e->a);
    }

    // --- op.process, op.ready -------------------------------------------------------
    /// op.process: what process() decided; op.ready: the cause. nullopt for an unknown code
    /// (or any other kind); raw_outcome() keeps the number for display.
    std::optional<Outcome> outcome() const noexcept {
        if (!is(EventKind::op_process) && !is(EventKind::op_ready)) return std::nullopt;
        return as_outcome(m_e->a);
    }
    std::int64_t raw_outcome() const noexcept { return m_e->a; }
    /// op.process: the op's timeout in ns, 0 = none. op.timeout: the timeout that expired.
    std::int64_t timeout_ns() const noexcept {
        if (is(EventKind::op_process)) return m_e->b;
        if (is(EventKind::op_timeout)) return m_e->a;
        return 0;
    }
    /// op.process: what the op waits on; nullopt when it parked on nothing (ready, yield,
    /// an unknown code) or for any other kind.
    std::optional<WaitObject> wait() const noexcept {
        const auto o = outcome();
        if (!is(EventKind::op_process) || !o || *o == Outcome::ready || *o == Outcome::yield) {
            return std::nullopt;
        }
        WaitObject w{.outcome = *o, .label = m_e->text};
        switch (*o) {
            case Outcome::proactor:
                w.fd = m_e->fd;
                break;
            case Outcome::join:
            case Outcome::call:
                w.coro = joined();
                break;
            case Outcome::signal:
            case Outcome::queue:
            case Outcome::pubsub:
            case Outcome::pipe:
            case Outcome::other:
                w.name = m_e->text;
                break;
            default:
                break;
        }
        return w;
    }
    /// op.process of a queue-like op (QPut, QGet, PSPut, PSGet), parked or not: the
    /// queue's level after process() ran and which side the op is on. nullopt for other
    /// ops, and in traces written before queues reported it.
    std::optional<QueueLevel> queue_level() const noexcept {
        if (!is(EventKind::op_process) ||
            (m_e->target & trace_target::tag_mask) != trace_target::tag_queue) {
            return std::nullopt;
        }
        const std::uint64_t t = m_e->target;
        return QueueLevel{
            .length = t & trace_target::field_max,
            .maxsize = (t >> 30) & trace_target::field_max,
            .side = (t & trace_target::queue_put_bit) != 0 ? QueueSide::put : QueueSide::get};
    }
    /// op.process of an I/O op: bytes it moved inside process() (an attempt made before
    /// parking, or the whole transfer when it completed at once); 0 = none or unknown.
    /// Later attempts are op.run events.
    std::uint64_t bytes_before_wait() const noexcept {
        if (!is(EventKind::op_process) ||
            (m_e->target & trace_target::tag_mask) != trace_target::tag_bytes) {
            return 0;
        }
        return m_e->target & ~trace_target::tag_mask;
    }
    /// op.process of a join or call: the awaited coroutine (as wait()->coro), also when
    /// it completed at once; 0 otherwise.
    std::uint64_t joined() const noexcept {
        if (!is(EventKind::op_process) || (m_e->target & trace_target::tag_mask) != 0) return 0;
        return m_e->target;
    }

    /// op.ready: why the op became ready.
    std::optional<ReadyCause> cause() const noexcept {
        const auto o = outcome();
        if (!is(EventKind::op_ready) || !o) return std::nullopt;
        ReadyCause c{.outcome = *o};
        switch (*o) {
            case Outcome::proactor:
            case Outcome::timer:
            case Outcome::timeout:
                c.seq = id(m_e->b);
                break;
            default:
                c.coro = id(m_e->b);
                break;
        }
        return c;
    }

    // --- op.run ---------------------------------------------------------------------
    /// Bytes moved (0 on an error).
    std::int64_t bytes() const noexcept { return is(EventKind::op_run) && m_e->a > 0 ? m_e->a : 0; }
    /// The errno of a failed attempt, 0 = none.
    int run_errno() const noexcept {
        return is(EventKind::op_run) && m_e->a < 0 ? static_cast<int>(-m_e->a) : 0;
    }
    /// true: the attempt finished the op; false: it would block (again).
    bool run_done() const noexcept { return is(EventKind::op_run) && m_e->b != 0; }

    // --- op.cleanup -----------------------------------------------------------------
    std::optional<CleanupReason> cleanup_reason() const noexcept {
        if (!is(EventKind::op_cleanup)) return std::nullopt;
        return m_e->a == 1 ? CleanupReason::cancel : CleanupReason::timeout;
    }

    // --- sched.active ---------------------------------------------------------------
    /// Active queue length after the change.
    std::int64_t queue_length() const noexcept { return is(EventKind::sched_active) ? m_e->a : 0; }
    /// What changed; nullopt on a trace from before the pair was named (coro 0, b 0).
    std::optional<ActiveChange> active_change() const noexcept {
        if (!is(EventKind::sched_active) || m_e->coro == 0 || m_e->b < 0 || m_e->b > 5) {
            return std::nullopt;
        }
        return static_cast<ActiveChange>(m_e->b);
    }

    // --- proactor -------------------------------------------------------------------
    /// proactor.poll.begin: the poll's timeout in ns, -1 = infinite, 0 = no wait.
    std::int64_t poll_timeout_ns() const noexcept {
        return is(EventKind::proactor_poll_begin) ? m_e->a : 0;
    }
    /// proactor.poll.begin: descriptors watched.
    std::int64_t fds_watched() const noexcept {
        return is(EventKind::proactor_poll_begin) ? m_e->b : 0;
    }
    /// proactor.poll.end: descriptors found ready.
    std::int64_t ready_count() const noexcept {
        return is(EventKind::proactor_poll_end) ? m_e->a : 0;
    }
    /// proactor.poll.end: ns spent waiting (never negative).
    std::int64_t waited_ns() const noexcept {
        return is(EventKind::proactor_poll_end) && m_e->b > 0 ? m_e->b : 0;
    }
    /// proactor.register: the readiness awaited (none for a code outside the enum).
    Interest interest() const noexcept {
        if (!is(EventKind::proactor_register) || (m_e->a != 1 && m_e->a != 2)) {
            return Interest::none;
        }
        return static_cast<Interest>(m_e->a);
    }
    /// proactor.unregister: true when the op completed, false on timeout or cancel.
    bool unregister_done() const noexcept {
        return is(EventKind::proactor_unregister) && m_e->a == 0;
    }

    // --- timer.fire -----------------------------------------------------------------
    std::int64_t lateness_ns() const noexcept {
        return is(EventKind::timer_fire) && m_e->a > 0 ? m_e->a : 0;
    }
    std::int64_t deadline_ns() const noexcept {
        return is(EventKind::timer_fire) || is(EventKind::timer_arm) ? m_e->b : 0;
    }
    /// timer.fire: true for a callback timer's (no coroutine: the callback runs now).
    bool fires_callback() const noexcept { return is(EventKind::timer_fire) && m_e->coro == 0; }

    // --- timer.arm, timer.cancel, timer.done (callback timers) ---------------------
    /// timer.arm: how far ahead the deadline was when armed (ns).
    std::int64_t delay_ns() const noexcept { return is(EventKind::timer_arm) ? m_e->a : 0; }
    /// timer.cancel: true when the scheduler's teardown destroyed it, false for a handle.
    bool cancelled_by_teardown() const noexcept {
        return is(EventKind::timer_cancel) && m_e->a == 1;
    }
    /// timer.done: true when the callback threw (text = what()).
    bool callback_threw() const noexcept { return is(EventKind::timer_done) && m_e->a != 0; }

    // --- signal.emit ----------------------------------------------------------------
    std::int64_t woken() const noexcept { return is(EventKind::signal_emit) ? m_e->a : 0; }
    /// true: the signal stays parked for recipients it did not reach.
    bool parked() const noexcept { return is(EventKind::signal_emit) && m_e->b != 0; }

    // --- sched.run.end, trace.drop --------------------------------------------------
    std::int64_t alive() const noexcept { return is(EventKind::sched_run_end) ? m_e->a : 0; }
    std::int64_t dropped() const noexcept { return is(EventKind::trace_drop) ? m_e->a : 0; }

    /// The text of the kinds that carry one (coroutine name, error, wait label, backend,
    /// signal name, note), interned; 0 = none.
    std::uint32_t text() const noexcept { return m_e->text; }

    /// An outcome code as the enum; nullopt outside it (a trace may come from anywhere).
    static std::optional<Outcome> as_outcome(std::int64_t code) noexcept {
        if (code < 0 || code >= outcome_count) return std::nullopt;
        return static_cast<Outcome>(code);
    }

  private:
    static std::uint64_t id(std::int64_t raw) noexcept {
        return raw > 0 ? static_cast<std::uint64_t>(raw) : 0;
    }
    const TraceEvent* m_e;
};

}  // namespace cogen

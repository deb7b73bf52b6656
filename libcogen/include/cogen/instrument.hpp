// Instrument: the one hook through which the scheduler reports every transition.
// The tracer (tracer/) implements it; libcogen only knows this interface.
// Field-by-field meaning of each event kind: docs/trace-format.md. Tutorial 10.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cogen {

class RecordRing;

/// Version of the event contract below. Bumped whenever a kind changes meaning.
inline constexpr int trace_format_version = 1;

/// Every moment of the loop that produces an event: a closed list
/// (docs/trace-format.md describes each); the string form ("coro.spawn", ...) is what files carry.
enum class EventKind : std::uint16_t {
    // Coroutine lifecycle.
    coro_spawn,    ///< a = parent coroutine id (0 = top level), b = priority, text = name
                   ///< (0: none was given, default_coro_name(coro))
    coro_resume,   ///< op = the op it resumes from (0: start/none), a = ResumeMode
    coro_suspend,  ///< op = the op it now awaits, op_type = its name
    coro_finish,   ///< the coroutine returned
    coro_fail,     ///< an exception escaped; op = last op, text = what()
    coro_kill,     ///< cancelled or destroyed with the scheduler; text = reason
    // The operation protocol.
    op_process,   ///< a = Outcome of process(), b = timeout ns (0 none), fd, text = wait label,
                  ///< target = joined/called coroutine
    op_run,       ///< one run() attempt: a = bytes (or -errno), b = 1 done / 0 again
    op_ready,     ///< a parked op became ready: a = Outcome of the cause, b = cause id
    op_finalize,  ///< finalize() is about to produce the value of co_await
    op_timeout,   ///< the deadline passed first; a = timeout ns
    op_cleanup,   ///< cleanup() undid the registration; a = 0 timeout, 1 cancel
    // Scheduler and proactor.
    sched_active,         ///< the active queue changed: coro = the pair's coroutine, a = queue
                          ///< length after, b = ActiveChange (where it went, or that it left)
    proactor_poll_begin,  ///< a = timeout ns (-1 = infinite), b = fds watched, text = backend
    proactor_poll_end,    ///< a = ready count, b = ns waited
    proactor_register,    ///< fd, a = Interest (1 read, 2 write)
    proactor_unregister,  ///< fd, a = 0 done, 1 timeout/cancel
    timer_fire,           ///< a = lateness ns, b = deadline ns (scheduler time); coro = 0
                          ///< and op = the timer's id for a callback timer (call_later)
    signal_emit,          ///< coro = signaler, text = signal name, a = waiters woken, b = 1 parked
    sched_run_begin,      ///< run() starts; text = proactor backend
    sched_run_end,        ///< run() returns; a = coroutines still alive
    sched_note,           ///< free text worth showing (backend fallback...); text
    // Produced by the tracer, never by the scheduler.
    trace_drop,       ///< a = events dropped since the previous trace_drop
    trace_heartbeat,  ///< periodic "still alive" mark on live feeds
    // Callback timers (Scheduler::call_later): op = the timer's id, op_type = "callback".
    // (After the tracer's kinds: the numbers of the older kinds stay what files carry.)
    timer_arm,     ///< coro = the arming coroutine (0 none), a = delay ns, b = deadline ns
    timer_cancel,  ///< coro = the cancelling coroutine (0 none), a = 0 handle, 1 teardown
    timer_done,    ///< its callback returned (a = 0) or threw (a = 1, text = what())
};
inline constexpr int event_kind_count = static_cast<int>(EventKind::timer_done) + 1;

/// What process() decided, as carried in op_process.a, and what caused an
/// op_ready (op_ready.a). `ready` means "complete at once".
enum class Outcome : std::uint8_t {
    ready,     ///< completed inside process(): resumes now
    proactor,  ///< waits for an fd to become ready
    timer,     ///< waits on the timer heap (Sleep)
    signal,    ///< waits for a Signal
    join,      ///< waits for another coroutine to finish
    queue,     ///< waits on a Queue (get or put side, or join)
    pubsub,    ///< waits for a PubSub publish
    pipe,      ///< waits on a pipe hand-off
    call,      ///< waits for a called sub-coroutine
    yield,     ///< cooperative yield: back of the active queue
    other,     ///< a user-defined wait
    timeout,   ///< (op_ready only) woken by its deadline
    cancel,    ///< (op_ready only) woken by cancellation
};
inline constexpr int outcome_count = static_cast<int>(Outcome::cancel) + 1;

/// What a sched_active event did to the active queue (sched_active.b). A
/// trace written before the coroutine was named here carries coro = 0 and
/// b = 0 on every change but the start round.
enum class ActiveChange : std::uint8_t {
    back,         ///< queued at the back
    start_round,  ///< a new coroutine's first turn: queued at the back unrun (Q24)
    front,        ///< queued at the front (CORO/OP priorities, AddOptions::front)
    urgent,       ///< the urgent slot: the last I/O completion of a poll runs at the
                  ///< next pick, before the queue (the length does not change)
    taken,        ///< taken from the front by the loop's pick, to run now
    dropped,      ///< removed unrun: cancelled before it started
};

/// How a coroutine is resumed (coro_resume.a).
enum class ResumeMode : std::uint8_t { start, value, exception };

/// One event: a fixed-size record, cheap to copy into a ring buffer.
struct TraceEvent {
    std::uint64_t seq = 0;   ///< strictly increasing per scheduler
    std::uint64_t t_ns = 0;  ///< monotonic ns since the scheduler started
    EventKind kind = EventKind::sched_note;
    std::int32_t fd = -1;       ///< descriptor, -1 = none (beside kind: the record stays 72 B)
    std::uint64_t coro = 0;     ///< coroutine id, 0 = none
    std::uint64_t op = 0;       ///< operation id, 0 = none
    std::uint32_t op_type = 0;  ///< interned operation name, 0 = none
    std::uint32_t text = 0;     ///< interned string, 0 = none
    std::int64_t a = 0;         ///< meaning depends on kind (see EventKind)
    std::int64_t b = 0;         ///< meaning depends on kind (see EventKind)
    /// A second coroutine the event names by id: op.process join/call = the awaited
    /// coroutine. 0 = none (and in every trace written before the field existed).
    /// Read events through cogen::EventView (trace_event_view.hpp), not field by field.
    std::uint64_t target = 0;
};
static_assert(sizeof(TraceEvent) == 72, "TraceEvent is copied into ring buffers: keep it small");

/// The name of a coroutine spawned without one: "coro-7". Its coro.spawn carries no text
/// (a string per coroutine would stay in the trace's string table for the whole run);
/// readers spell it out with this.
inline std::string default_coro_name(std::uint64_t coro) {
    return "coro-" + std::to_string(coro);
}

/// Receives every event of one scheduler, on the scheduler's thread.
///
/// Strings are interned by the scheduler: on_string(id, s) is called once per
/// new string, before the first event that refers to id. Id 0 is the empty
/// string and never announced. Implementations must not call back into the
/// scheduler and should be cheap: they run on the hot path.
class Instrument {
  public:
    virtual ~Instrument() = default;
    virtual void on_string(std::uint32_t id, std::string_view text) = 0;
    virtual void on_event(const TraceEvent& event) = 0;
    /// Called when the scheduler is destroyed (a chance to flush).
    virtual void on_close() {}
    /// The fast path: a ring the scheduler writes its events into itself, as EventRecords
    /// stamped with TickClock ticks (record_ring.hpp), instead of calling on_event. Asked
    /// once, when the instrument is installed; nullptr (the default): on_event it is. The
    /// scheduler still announces strings through on_string, before the records using them.
    virtual RecordRing* record_ring() noexcept { return nullptr; }
};

/// Builds the instrument that the environment asks for (COGEN_TRACE), or
/// returns nullptr for none. The tracer library installs one at start-up; a
/// Scheduler whose Options::instrument is null calls it once, in its
/// constructor, and owns what it returns. The runtime itself never reads
/// COGEN_TRACE: without the tracer linked in, nothing is installed.
using EnvInstrumentFactory = std::unique_ptr<Instrument> (*)();
void set_env_instrument_factory(EnvInstrumentFactory factory) noexcept;
EnvInstrumentFactory env_instrument_factory() noexcept;

/// "coro.spawn", "op.process", ... — the spelling files and views use.
std::string_view to_string(EventKind kind) noexcept;
/// Inverse of to_string(EventKind); nullopt for an unknown name.
std::optional<EventKind> event_kind_from_string(std::string_view name) noexcept;
/// "ready", "proactor", "wait:timer", ... — the op.process outcome spelling.
std::string_view to_string(Outcome outcome) noexcept;
std::optional<Outcome> outcome_from_string(std::string_view name) noexcept;
/// What a sched_active did, as the text trace and the views say it: "queued at the
/// back", "taken from the front", ... (an unknown value: "changed the queue").
std::string_view describe(ActiveChange change) noexcept;

}  // namespace cogen

// Why woken: for a coroutine's resume, the chain of events that caused it,
// followed back through op.ready's cause (the poll, the timer, the signal's
// sender, the finished joinee, the queue's producer) and, for a coroutine
// cause, through why *that* coroutine was running. docs/visualizer-model.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cogen::viz {

class TraceModel;

/// What one step of a wake chain names.
enum class WakeCause : std::uint8_t {
    resumed,            ///< the coroutine resumed (the start of each hop)
    started,            ///< its first resume, straight from the spawn
    start_round,        ///< its first turn only made the frame and sent it to the back
    spawned,            ///< coro.spawn, and by whom
    completed_at_once,  ///< op.process said `ready`: it never waited
    yielded,            ///< a cooperative yield: back of the active queue
    woken,              ///< op.ready: the op became ready, and the cause code
    fd_ready,           ///< op.run on the ready fd finished the op
    polled,             ///< the proactor poll whose ready set held the op
    registered,         ///< the op's proactor registration
    timer_fired,        ///< timer.fire: the deadline came
    timed_out,          ///< op.timeout: the deadline beat the event it waited for
    armed,              ///< the op.process that armed the deadline
    signalled,          ///< signal.emit by the coroutine that woke it
    joinee_finished,    ///< the joined (or called) coroutine ended
    released,           ///< the queue/pubsub/pipe op of the coroutine that released it
    cancelled,          ///< cancelled, and by whom
    unknown,            ///< the trace does not say (events missing)
};

/// "resumed", "timer-fired", ... (stable spelling for tools and tests).
std::string_view to_string(WakeCause cause) noexcept;

/// One step of a chain: an event and a sentence about it.
struct WakeStep {
    std::uint64_t seq = 0;   ///< the event the step names (0 = none found)
    std::uint64_t coro = 0;  ///< the coroutine the step is about
    WakeCause cause = WakeCause::unknown;
    std::string text;  ///< one sentence, e.g. "'main' (coro 1) emitted signal 'go' ..."
};

/// Why the coroutine resumed at event `seq` was woken.
///
///     for (const WakeStep& s : why_woken(model, resume_seq)) log(s.seq, s.text);
///
/// `seq` names a coro.resume (or that resume's op.ready / op.finalize). The
/// first step is the resume itself, then its op.ready and the cause's events;
/// when the cause is another coroutine (signal sender, finished joinee, queue
/// producer, canceller), the chain continues with why *that* coroutine was
/// running, for up to `max_hops` coroutines. Empty if `seq` is none of these.
std::vector<WakeStep> why_woken(const TraceModel& model, std::uint64_t seq,
                                std::size_t max_hops = 3);

}  // namespace cogen::viz

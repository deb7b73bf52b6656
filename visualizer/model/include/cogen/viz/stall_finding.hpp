// Stall findings: what the stall detector reports — the kind of problem, the
// coroutine, what it is blamed on, since when, and one sentence for people.
// Each kind is explained in docs/stalls.md.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cogen/viz/place.hpp"

namespace cogen::viz {

/// The kinds of stall, in the order findings are reported.
enum class FindingKind : std::uint8_t {
    untimed_wait,      ///< (a) waiting with no timeout longer than a threshold
    orphan_signal,     ///< (b) waiting on a signal that no live coroutine can still emit
    deadlock,          ///< (c) a join / queue / signal wait cycle
    cpu_hog,           ///< (d) ran too long between two suspensions
    fd_never_ready,    ///< (e) an fd wait that never became ready
    unjoined_failure,  ///< (f) a failed coroutine nobody joined
    starved,           ///< (g) runnable too long while other coroutines ran
    retry_loop,        ///< (h) timed out again and again on a wait nobody can end
    backlog,           ///< (i) an unbounded queue or pubsub that keeps growing
    stalled_io,        ///< (j) an fd wait that moved bytes, then none for too long
};
inline constexpr int finding_kind_count = static_cast<int>(FindingKind::stalled_io) + 1;

/// "untimed-wait", "orphan-signal", "deadlock", "cpu-hog", "fd-never-ready",
/// "unjoined-failure", "starved", "retry-loop", "backlog", "stalled-io" (stable
/// spellings for tools, tests and JSON).
std::string_view to_string(FindingKind kind) noexcept;

/// Thresholds of the detector.
///
///     find_stalls(model, state, now, {.untimed_wait = 5s});
struct StallOptions {
    /// (a) an untimed wait on another coroutine lasting longer is reported.
    std::chrono::nanoseconds untimed_wait = std::chrono::seconds(1);
    /// (b) a signal wait with no possible emitter is reported after this grace
    /// (a first emitter may simply not have run yet).
    std::chrono::nanoseconds orphan_signal = std::chrono::milliseconds(100);
    /// (c) a wait cycle is reported once every member waited this long.
    std::chrono::nanoseconds deadlock = std::chrono::milliseconds(100);
    /// (d) a run between two suspensions longer than this is a CPU hog.
    std::chrono::nanoseconds cpu_hog = std::chrono::milliseconds(50);
    /// (e) an fd registered this long without a single op.run is reported.
    std::chrono::nanoseconds fd_never_ready = std::chrono::seconds(1);
    /// After sched.run.end nothing can wake an untimed wait any more: report
    /// (a), (b) and (c) regardless of their thresholds.
    bool run_end_means_stuck = true;
    /// (g) a stay in the active queue longer than this, while other coroutines
    /// were resumed (at least twice: one long run is a cpu-hog), is starvation.
    std::chrono::nanoseconds starved = std::chrono::milliseconds(100);
    /// (h) this many timeouts in a row on the same wait, with no success of it in
    /// between and no live coroutine that could end it, is a retry loop.
    std::uint32_t retry_loop = 20;
    /// (i) an unbounded queue or pubsub that ever held this many items is a backlog ...
    std::uint64_t backlog_items = 100;
    /// ... and so is one that has held at least `backlog_growing_items`, without being
    /// empty, for `backlog_window`, while its consumers took less than half of what
    /// was put meanwhile.
    std::uint64_t backlog_growing_items = 16;
    std::chrono::nanoseconds backlog_window = std::chrono::milliseconds(500);
    /// (j) an fd wait that moved bytes and then none for this long is stalled.
    std::chrono::nanoseconds stalled_io = std::chrono::seconds(1);
};

/// What a finding is blamed on; fields that do not apply keep their defaults.
struct Blame {
    std::uint64_t op = 0;  ///< the op awaited (or last awaited)
    std::string op_type;   ///< its name ("WaitForSignal", "Recv" ...)
    std::int32_t fd = -1;  ///< the fd of a proactor wait
    FdInterest interest = FdInterest::none;
    std::string signal;        ///< the signal name of a signal wait
    std::uint64_t joined = 0;  ///< the coroutine a join/call waits for
    std::string joined_name;
    std::string queue;  ///< the queue (pubsub, pipe, other) label
    /// queue / pubsub: the side the op waits on (get: an item; put: room), and the
    /// queue's level when the op was processed (or, for a backlog, now).
    QueueSide queue_side = QueueSide::unknown;
    std::uint64_t queue_length = 0;
    std::uint64_t queue_maxsize = 0;  ///< 0 = unbounded
    std::uint64_t bytes = 0;          ///< I/O: bytes the op moved so far
    std::uint64_t last_sender = 0;    ///< signal: who emitted it last (0 = nobody yet)
    std::string last_sender_name;
    std::uint32_t timeouts = 0;            ///< retry-loop: timeouts in a row
    std::vector<std::uint64_t> others;     ///< starved: who ran instead, most resumes first;
                                           ///< backlog: the producers
    std::vector<std::uint64_t> consumers;  ///< backlog: the consumers
    std::string error;                     ///< the failure text (unjoined_failure)
};

/// One stall.
///
///     for (const Finding& f : find_stalls(model, state, now))
///         table.row(to_string(f.kind), f.coro_name, f.explanation);
struct Finding {
    FindingKind kind = FindingKind::untimed_wait;
    std::uint64_t coro = 0;  ///< the coroutine to look at (first of a cycle)
    std::string coro_name;
    Blame blame{};
    std::uint64_t since_seq = 0;  ///< when the problem began
    std::uint64_t since_t_ns = 0;
    std::uint64_t duration_ns = 0;     ///< how long it has lasted (or lasted) by `now`
    std::vector<std::uint64_t> cycle;  ///< deadlock: the coroutines along the cycle
    std::string explanation;           ///< one line for people
};

}  // namespace cogen::viz

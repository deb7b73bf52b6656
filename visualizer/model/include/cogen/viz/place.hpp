// Place: where a coroutine is on the seed's flow diagram (docs/design.md, "One loop iteration"), as
// the trace events tell it. Tokens on the diagram, the coroutine table and the timeline lanes all
// show a Place. Background: docs/visualizer-model.md.
#pragma once
#include <cstdint>
#include <string_view>

#include "cogen/instrument.hpp"

namespace cogen::viz {

/// Where a coroutine is: one of the stations of the diagram.
///
///     if (is_waiting(coro.place.kind)) show_wait_time(now - coro.since_t_ns);
enum class PlaceKind : std::uint8_t {
    active,      ///< in the active queue: just spawned, ready, yielded or woken
    running,     ///< between coro.resume and its next coro.suspend (or its end)
    processing,  ///< suspended on an op whose op.process has not reported yet
    proactor,    ///< parked in the proactor, waiting for its fd (fd, interest)
    io_ready,    ///< op.run() completed on a ready fd; the op is about to be queued
    timer,       ///< parked on the timer heap (Sleep)
    signal,      ///< waiting for a Signal (label = signal name)
    join,        ///< waiting for another coroutine to finish (target)
    queue,       ///< waiting on a Queue (label = queue name)
    pubsub,      ///< waiting for a PubSub publish (label)
    pipe,        ///< waiting on a pipe hand-off (label)
    call,        ///< waiting for a called sub-coroutine (target)
    other,       ///< a user-defined wait (label)
    finalizing,  ///< op.finalize() ran; the coroutine resumes next
    finished,    ///< returned normally
    failed,      ///< an exception escaped it
    killed,      ///< cancelled, or destroyed with its scheduler
};
inline constexpr int place_kind_count = static_cast<int>(PlaceKind::killed) + 1;

/// Read/write interest of a proactor registration (proactor.register a).
enum class FdInterest : std::uint8_t { none = 0, read = 1, write = 2 };

/// Which side of a queue (or pubsub) a wait stands on, when the trace says
/// (op.process reports the queue's level: cogen::EventView::queue_level()).
enum class QueueSide : std::uint8_t {
    unknown,  ///< not a queue op, or a trace from before queues reported it
    get,      ///< waits for an item in an empty queue (QGet, PSGet)
    put,      ///< waits for room in a full queue (QPut, PSPut)
};

/// A coroutine's place with the details that explain it: which op, which fd,
/// which signal or queue, which coroutine it joins, and its timeout.
///
///     if (p.kind == PlaceKind::signal) draw_label(model.text(p.label));
struct Place {
    PlaceKind kind = PlaceKind::active;
    std::uint64_t op = 0;       ///< the op it waits on or was woken from, 0 = none
    std::uint32_t op_type = 0;  ///< interned op name ("Sleep", "Recv" ...), 0 = none
    std::uint32_t label = 0;    ///< interned wait label (signal/queue name; shown, never parsed)
    std::int32_t fd = -1;       ///< descriptor of a proactor wait, -1 = none
    FdInterest interest = FdInterest::none;
    std::uint64_t target = 0;             ///< joined or called coroutine (join, call), 0 = none
    std::int64_t timeout_ns = 0;          ///< op.process b: the op's timeout, 0 = none
    QueueSide side = QueueSide::unknown;  ///< queue, pubsub: which side it waits on
    std::uint64_t queue_length = 0;       ///< queue, pubsub: items held at the op.process
    std::uint64_t queue_maxsize = 0;      ///< queue: its bound, 0 = unbounded
    std::uint64_t moved = 0;              ///< proactor: bytes the op moved before it parked

    bool operator==(const Place&) const = default;
};

/// "active", "running", "proactor", "wait:signal" ... (short, for tables and logs).
std::string_view to_string(PlaceKind kind) noexcept;
/// "in the active queue", "waiting for a signal" ... (for sentences).
std::string_view describe(PlaceKind kind) noexcept;
/// "read", "write" or "" (none).
std::string_view to_string(FdInterest interest) noexcept;

/// The place an op.process outcome parks a coroutine in.
///
///     place_for_outcome(Outcome::timer) == PlaceKind::timer
///
/// `ready` and `yield` (and the op.ready-only codes) give `active`.
PlaceKind place_for_outcome(Outcome outcome) noexcept;

/// True for the parked places, where only an event can wake the coroutine
/// (proactor, timer, signal, join, queue, pubsub, pipe, call, other).
bool is_waiting(PlaceKind kind) noexcept;
/// True for finished, failed and killed.
bool is_ended(PlaceKind kind) noexcept;
/// True for the waits another coroutine must end (signal, join, queue, pubsub,
/// pipe, call, other): the ones stall detection reasons about.
bool is_coroutine_wait(PlaceKind kind) noexcept;

}  // namespace cogen::viz

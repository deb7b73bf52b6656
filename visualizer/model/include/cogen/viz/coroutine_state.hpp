// CoroutineState: one coroutine as the replayed trace shows it at some seq:
// its place on the diagram and since when, its current op, its counters and
// its longest run between two suspensions. Part of ModelState.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "cogen/viz/place.hpp"

namespace cogen::viz {

/// One stretch of running: from a coro.resume to the next coro.suspend,
/// finish, fail or kill of the same coroutine.
struct RunSlice {
    std::uint64_t resume_seq = 0;  ///< seq of the coro.resume that began it, 0 = none
    std::uint64_t end_seq = 0;     ///< seq of the event that ended it
    std::uint64_t start_t_ns = 0;
    std::uint64_t duration_ns = 0;

    bool operator==(const RunSlice&) const = default;
};

/// A coroutine at one point of the trace. Strings are interned ids: resolve
/// them with TraceModel::text() (or TraceModel::coro_name() for the name).
///
///     const CoroutineState* c = state.find(7);
///     if (c && c->place.kind == PlaceKind::signal) ... model.text(c->place.label) ...
struct CoroutineState {
    std::uint64_t id = 0;
    std::uint64_t parent = 0;      ///< coro.spawn a; 0 = top level
    std::uint32_t name = 0;        ///< coro.spawn text; 0 = unnamed ("coro-<id>")
    std::int64_t priority = 0;     ///< coro.spawn b (0 LAST, 1 CORO, 2 OP, 3 FIRST)
    Place place{};                 ///< where it is now
    std::uint64_t since_seq = 0;   ///< when it entered place.kind (seq)
    std::uint64_t since_t_ns = 0;  ///< ... and the time
    std::uint64_t spawn_seq = 0;   ///< 0 if the trace began after its spawn
    std::uint64_t spawn_t_ns = 0;
    std::uint64_t end_seq = 0;  ///< seq of coro.finish/fail/kill; 0 while alive
    std::uint64_t end_t_ns = 0;
    std::uint64_t op = 0;              ///< the op it awaits (or last awaited), 0 = none
    std::uint32_t op_type = 0;         ///< interned name of that op
    std::uint32_t error = 0;           ///< coro.fail what() / coro.kill reason
    std::uint64_t suspensions = 0;     ///< coro.suspend count
    std::uint64_t resumes = 0;         ///< coro.resume count
    std::uint64_t run_ns = 0;          ///< total time spent running (closed slices)
    RunSlice current_slice{};          ///< the slice in progress while running
    RunSlice longest_slice{};          ///< the longest closed slice so far
    std::uint64_t last_ready_seq = 0;  ///< seq of its last op.ready, 0 = none
    std::uint64_t runnable_ns = 0;     ///< total time spent in the active queue (closed stays)
    /// The longest stay in the active queue that ended in a resume: resume_seq = when it
    /// entered the queue, end_seq = the coro.resume that took it out.
    RunSlice longest_runnable{};
    /// Timeouts in a row on the same wait (same op type, label, fd, target) with no
    /// success of that wait in between: the retry-loop finding.
    std::uint32_t timeouts_in_row = 0;
    std::uint64_t retry_first_seq = 0;  ///< the first op.timeout of the row
    std::uint64_t retry_first_t_ns = 0;
    std::uint64_t retry_last_seq = 0;  ///< the latest one
    std::uint64_t retry_last_t_ns = 0;
    Place retry_place{};        ///< what it kept timing out on
    std::uint32_t joiners = 0;  ///< joins/calls that targeted it so far (ever)
    /// Its place in the active queue, from the sched.active that queued it (0 = no such
    /// event: a trace from before the pair was named, or not queued). See queue_rank().
    std::uint64_t queue_seq = 0;
    std::int64_t queue_key = 0;  ///< back: +seq; front: -seq; urgent slot: below every front

    /// Not finished, failed or killed.
    bool alive() const noexcept { return !is_ended(place.kind); }

    /// Where it stands among the tokens of its place, smallest first. In the active
    /// queue this is the scheduler's order (the urgent slot, then the front pushes,
    /// latest first, then the back pushes by arrival); elsewhere, arrival (since_seq).
    std::int64_t queue_rank() const noexcept {
        return queue_seq != 0 ? queue_key : static_cast<std::int64_t>(since_seq);
    }

    bool operator==(const CoroutineState&) const = default;
};

/// Token order within one place: queue_rank(), then id (the diagram, the inspector,
/// ModelState::active_queue()).
inline bool before_in_place(const CoroutineState& x, const CoroutineState& y) noexcept {
    return x.queue_rank() != y.queue_rank() ? x.queue_rank() < y.queue_rank() : x.id < y.id;
}

/// The index coroutine `id` would have in `sorted` (by id) if the ids had no gaps, or
/// sorted.size() when that is outside it. Ids are handed out in order, so the vector is
/// usually dense: trying this slot first costs one cache miss instead of a dozen.
inline std::size_t dense_slot(std::span<const CoroutineState> sorted, std::uint64_t id) noexcept {
    if (sorted.empty() || id < sorted.front().id) return sorted.size();
    const std::uint64_t slot = id - sorted.front().id;
    return slot < sorted.size() ? static_cast<std::size_t>(slot) : sorted.size();
}

/// std::lower_bound of `id` in `sorted` (a vector of CoroutineState by id), trying
/// dense_slot() first.
template <class Vector>
auto lower_bound_id(Vector& sorted, std::uint64_t id) {
    const std::size_t slot = dense_slot(sorted, id);
    if (slot < sorted.size() && sorted[slot].id == id)
        return sorted.begin() + static_cast<std::ptrdiff_t>(slot);
    return std::lower_bound(sorted.begin(), sorted.end(), id,
                            [](const CoroutineState& c, std::uint64_t key) { return c.id < key; });
}

}  // namespace cogen::viz

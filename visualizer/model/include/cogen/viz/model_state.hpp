// ModelState: the whole scheduler as the trace shows it after one event:
// coroutines, proactor registrations and recent polls, pending timers, the
// active queue length, and who emitted which signal or used which queue.
// A plain value: TraceModel keeps copies of it as checkpoints.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "cogen/viz/coroutine_index.hpp"
#include "cogen/viz/coroutine_state.hpp"
#include "cogen/viz/huge_page_allocator.hpp"
#include "cogen/viz/op_table.hpp"

namespace cogen::viz {

/// One op parked in the proactor (proactor.register, or op.process with the
/// `proactor` outcome when no register event came).
struct Registration {
    std::uint64_t op = 0;
    std::uint64_t coro = 0;
    std::uint32_t op_type = 0;
    std::int32_t fd = -1;
    FdInterest interest = FdInterest::none;
    std::uint64_t seq = 0;  ///< when it was registered
    std::uint64_t t_ns = 0;
    std::uint32_t run_attempts = 0;  ///< op.run events since registration
    std::int64_t last_bytes = 0;     ///< op.run a of the last attempt
    std::uint64_t bytes = 0;  ///< moved so far: before parking (op.process) plus every op.run
    std::uint64_t progress_seq = 0;  ///< the last event that moved bytes, 0 = none yet
    std::uint64_t progress_t_ns = 0;

    bool operator==(const Registration&) const = default;
};

/// One op with a deadline: a Sleep, or any op.process with a timeout (b > 0).
struct PendingTimer {
    std::uint64_t op = 0;
    std::uint64_t coro = 0;  ///< 0: a callback timer (Scheduler::call_later)
    std::uint32_t op_type = 0;
    std::uint64_t armed_seq = 0;    ///< the op.process (or timer.arm) that armed it
    std::uint64_t deadline_ns = 0;  ///< op.process t_ns + timeout; timer.arm's deadline

    bool operator==(const PendingTimer&) const = default;
};

/// One proactor poll: proactor.poll.begin and, once it returned, poll.end.
struct PollRecord {
    std::uint64_t begin_seq = 0;  ///< 0 if the trace began inside the poll
    std::uint64_t end_seq = 0;    ///< 0 while the poll is still waiting
    std::uint64_t t_ns = 0;       ///< time of poll.begin (or poll.end without begin)
    std::int64_t timeout_ns = 0;  ///< -1 = infinite
    std::int64_t fds = 0;         ///< fds watched
    std::int64_t ready = 0;       ///< ready count
    std::int64_t waited_ns = 0;   ///< how long it blocked
    std::uint32_t backend = 0;    ///< interned backend name

    bool operator==(const PollRecord&) const = default;
};

/// One queue or pubsub, by label, as its ops' op.process events report it
/// (cogen::EventView::queue_level(); traces from before that have none).
struct QueueRecord {
    std::uint32_t label = 0;
    bool pubsub = false;
    std::uint64_t length = 0;      ///< items held after the latest op (pubsub: unread)
    std::uint64_t maxsize = 0;     ///< 0 = unbounded
    std::uint64_t max_length = 0;  ///< the most it held
    std::uint64_t max_seq = 0;
    std::uint64_t max_t_ns = 0;
    std::uint64_t first_t_ns = 0;  ///< first op seen on it
    std::uint64_t last_t_ns = 0;   ///< latest op seen on it
    std::uint64_t empty_seq = 0;   ///< the latest op that left it empty (or the first op)
    std::uint64_t empty_t_ns = 0;
    std::uint64_t puts = 0, gets = 0;              ///< completed since it was last empty
    std::uint64_t total_puts = 0, total_gets = 0;  ///< completed since the trace began

    bool operator==(const QueueRecord&) const = default;
};

/// The latest emit of one signal name.
struct SignalRecord {
    std::uint64_t coro = 0;  ///< who emitted it
    std::uint64_t seq = 0;
    std::uint64_t t_ns = 0;
    std::int64_t woken = 0;  ///< how many waiters it woke

    bool operator==(const SignalRecord&) const = default;
};

/// "Coroutine `coro` emitted signal `name`" or "used queue label `name`".
struct NameUse {
    std::uint32_t name = 0;
    std::uint64_t coro = 0;
    auto operator<=>(const NameUse&) const = default;
};

/// The state after the events up to `seq`. Containers are ordered by their
/// key; copy it freely (TraceModel's checkpoints are copies).
///
///     ModelState s = model.state_at(seq);
///     for (const CoroutineState& c : s.coroutines) draw_token(c);
/// A state's coroutines: at tens of thousands of them (megabytes, one random one touched
/// per event) in huge pages, so that the replay's lookups do not miss the TLB as well.
using CoroutineVector = std::vector<CoroutineState, HugePageAllocator<CoroutineState>>;

struct ModelState {
    static constexpr std::size_t poll_history = 16;  ///< polls kept in `polls`

    std::uint64_t seq = 0;                             ///< seq of the last event applied, 0 = none
    std::uint64_t t_ns = 0;                            ///< its time
    std::size_t events_applied = 0;                    ///< how many events made this state
    CoroutineVector coroutines;                        ///< sorted by id
    OpTable<Registration> registrations;               ///< by op
    OpTable<PendingTimer> timers;                      ///< by op
    std::array<PollRecord, poll_history> poll_ring{};  ///< use recent_polls()
    std::uint64_t poll_count = 0;                      ///< polls begun since the trace started
    std::int64_t active_length = 0;                    ///< last sched.active a
    std::uint64_t running = 0;                         ///< the coroutine running now, 0 = none
    std::vector<NameUse> signal_emitters;  ///< (signal, coroutine) that emitted it; sorted
    std::vector<NameUse> label_users;      ///< (wait label, coroutine) that used it; sorted
    std::vector<NameUse> queue_putters;    ///< (queue label, coroutine) that put into it; sorted
    std::vector<NameUse> queue_getters;    ///< (queue label, coroutine) that took from it; sorted
    std::map<std::uint32_t, QueueRecord> queues;         ///< by label
    std::map<std::uint32_t, SignalRecord> last_signals;  ///< by signal name
    std::uint64_t alive = 0;
    std::uint64_t finished = 0;
    std::uint64_t failed = 0;
    std::uint64_t killed = 0;
    std::uint64_t dropped_events = 0;  ///< sum of trace.drop a
    bool in_run = false;               ///< between sched.run.begin and sched.run.end
    std::uint64_t run_end_seq = 0;     ///< last sched.run.end while not in a run, else 0
    std::uint32_t backend = 0;         ///< from sched.run.begin / poll.begin text
    /// Where each coroutine is in `coroutines` once their ids have gaps: a cache (find()
    /// checks every hit), not part of the value. Code that moves coroutines around clears it.
    CoroutineIndex coroutine_index;

    /// The coroutine with this id, or nullptr.
    const CoroutineState* find(std::uint64_t id) const noexcept;
    CoroutineState* find(std::uint64_t id) noexcept;
    /// The coroutine with this id, created (alive, in the active queue) if unseen:
    /// a live feed may start after a coroutine's spawn.
    CoroutineState& find_or_add(std::uint64_t id);
    /// Asks the cache for the coroutine's slot when ids have no gaps (what find() tries
    /// first): a batch replay calls it a few events ahead.
    void prefetch(std::uint64_t id) const noexcept {
        const std::size_t slot = coroutine_index.likely(coroutines, id);
        if (slot == coroutines.size()) return;
        const char* at = reinterpret_cast<const char*>(&coroutines[slot]);
        for (std::size_t line = 0; line < sizeof(CoroutineState); line += 64)
            __builtin_prefetch(at + line, 1);
    }

    /// The proactor registration of `op`, or nullptr.
    const Registration* registration(std::uint64_t op) const noexcept;
    /// The pending timer of `op`, or nullptr.
    const PendingTimer* timer(std::uint64_t op) const noexcept;
    /// Pending timers, earliest deadline first (for the timer heap panel).
    std::vector<PendingTimer> timers_by_deadline() const;
    /// The coroutines in the active queue, the next to run first
    /// (CoroutineState::queue_rank(), then id).
    std::vector<std::uint64_t> active_queue() const;
    /// Up to poll_history polls, oldest first.
    std::vector<PollRecord> recent_polls() const;
    /// Alive coroutines that emitted `signal` before this point.
    std::vector<std::uint64_t> live_emitters(std::uint32_t signal) const;
    /// Alive coroutines that used the wait label `label` before this point.
    std::vector<std::uint64_t> live_label_users(std::uint32_t label) const;
    /// Alive coroutines that put into (QueueSide::put) or took from (get) queue `label`.
    std::vector<std::uint64_t> live_queue_users(std::uint32_t label, QueueSide side) const;
    /// Every coroutine (alive or not) that put into or took from queue `label`.
    std::vector<std::uint64_t> queue_users(std::uint32_t label, QueueSide side) const;

    /// Forgets the coroutines that finished or were killed before event `seq`: nothing
    /// about them can change any more (failed ones stay: a later join decides whether
    /// they are an unjoined failure). Of the NameUse entries naming coroutines no longer
    /// here, the last per name is kept, so that "ever emitted" stays true. A bounded
    /// TraceModel window calls it on the states it keeps.
    void forget_ended_before(std::uint64_t seq);
    /// forget_ended_before()'s second half: of the NameUse entries naming coroutines no
    /// longer here, only the last per name stays.
    void forget_gone_uses();
    /// Entries in the four NameUse lists (a cheap "did a use come" test).
    std::size_t name_uses() const noexcept {
        return signal_emitters.size() + label_users.size() + queue_putters.size() +
               queue_getters.size();
    }

    /// Approximate heap bytes held (sizes the checkpoints).
    std::size_t memory_bytes() const noexcept;

    /// Field-by-field equality (a replayed state equals the one built live).
    bool operator==(const ModelState&) const = default;
};

}  // namespace cogen::viz

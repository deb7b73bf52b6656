// Scheduler: runs (coroutine, operation) pairs. Each pass of its loop runs
// the active queue, polls the proactor, and checks timeouts — the diagram in
// docs/design.md. Tutorial 03 onward.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cogen/callback_timer.hpp"
#include "cogen/clock.hpp"
#include "cogen/coro.hpp"
#include "cogen/coro_ref.hpp"
#include "cogen/detail/ring_deque.hpp"
#include "cogen/event_record.hpp"
#include "cogen/instrument.hpp"
#include "cogen/priority.hpp"
#include "cogen/proactor/proactor.hpp"
#include "cogen/record_ring.hpp"
#include "cogen/tick_clock.hpp"

namespace cogen {

namespace detail {
class TimerHeap;
class SignalTable;
class CallbackSlab;
}  // namespace detail
class SchedulerCore;      // cogen/scheduler_core.hpp: for operation authors
class SchedulerObserver;  // cogen/scheduler_observer.hpp: for views and steppers
struct ReadyPair;         // cogen/scheduler_observer.hpp

/// Where a woken coroutine goes in the active queue (SchedulerCore::schedule).
enum class Placement { front, back };

/// How a coroutine is added (Scheduler::add, AddCoro).
///
/// `name` is a view: the text is copied when the options are used, so
/// `{.name = "worker-1"}` and `{.name = some_string}` are both fine, but keep
/// the viewed string alive until then. (A view rather than std::string:
/// g++ 12 copies aggregate temporaries inside a co_await expression bitwise,
/// which breaks any member that owns memory — docs/porting-notes.md.)
struct AddOptions {
    std::string_view name{};                ///< for traces and views; default "coro-<id>"
    Priority priority = Priority::DEFAULT;  ///< AddCoro's priority (who runs first)
    bool front = false;  ///< Scheduler::add only: queue at the front (cogen's first=False)
};

/// Scheduler options; the names and defaults are cogen's.
struct SchedulerOptions {
    Priority default_priority = Priority::LAST;
    /// Applied to every timed operation without a timeout of its own.
    std::optional<std::chrono::nanoseconds> default_timeout{};
    ProactorKind proactor = ProactorKind::automatic;
    /// How long a poll blocks when I/O is pending, nothing runs and no timer is due.
    std::chrono::nanoseconds proactor_resolution = std::chrono::milliseconds(10);
    /// true: poll after every step; false: only when the active queue is empty.
    bool proactor_greedy = true;
    /// true: a completed I/O op runs its coroutine to its next block inside the poll.
    bool ops_greedy = false;
    /// true: socket ops try their system call at once, registering only if it would block.
    bool proactor_multiplex_first = true;
    Clock* clock = nullptr;  ///< nullptr: a SteadyClock
    /// nullptr: whatever COGEN_TRACE asks the tracer for. Not owned: it must outlive the
    /// scheduler (whose destructor reports the teardown to it) or be detached first.
    Instrument* instrument = nullptr;
    /// Receives each coroutine error report; default: one line on stderr.
    std::function<void(std::string_view)> error_sink{};
};

/// The scheduler: owns the active queue, the timer heap, the signal tables
/// and one proactor.
///
///     cogen::Scheduler sched;
///     sched.add(worker(), {.name = "worker-1"});
///     sched.run();   // until nothing can make progress
///
/// Single-threaded: every coroutine of a scheduler runs on the thread that
/// calls run()/step(). Only stop() may be called from elsewhere.
class Scheduler {
  public:
    using Options = SchedulerOptions;

    explicit Scheduler(Options options = {});
    /// Destroys every coroutine still alive (their destructors run, their
    /// sockets close) after undoing their registrations.
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    /// Queue a coroutine (at the back; AddOptions::front for the front). It
    /// starts on a later step. Usable before or during run().
    template <class T>
    CoroRef<T> add(Coro<T> coro, AddOptions options = {});

    /// Run until nothing can make progress (no runnable coroutine, no
    /// registered fd, no pending timer) or stop() is called. Coroutines
    /// still waiting on a signal, a join or a queue stay suspended.
    void run();
    /// Exactly one transition: one resume (finalize + resume), one
    /// op.process, one proactor poll, or one timeout check. Returns false
    /// when idle (what would end run()). run() is a loop over step().
    bool step();
    /// Make run() return at its next check; a blocked poll is woken. Safe
    /// from another thread and from a signal handler. run() again resumes.
    void stop() noexcept;

    /// Run `fn()` once, on this scheduler's thread, when `delay` has passed: a
    /// callback timer, no coroutine. It runs in the loop's timer check, in
    /// deadline order with the coroutines' timeouts and Sleeps (equal deadlines:
    /// first armed first); a delay of zero or less runs it at the next check.
    /// An exception it throws is reported like a failed coroutine's (error_sink)
    /// and the loop goes on. A pending one keeps run() going; the scheduler's
    /// destructor destroys pending ones unrun. Small callables (up to 40 bytes)
    /// are stored in the timer itself, larger ones on the heap. Like add(), call it
    /// on the scheduler's thread (before run() or from code it runs). docs/design.md,
    /// "Callback timers".
    ///
    ///     auto h = sched.call_later(50ms, [&] { flush(); });
    ///     h.cancel();  // true: it had not run and never will
    template <class F>
    TimerHandle call_later(std::chrono::nanoseconds delay, F&& fn) {
        return start_callback(now() + delay, delay.count(), std::forward<F>(fn));
    }
    /// As call_later, at the scheduler time `deadline` (compare with now()).
    template <class F>
    TimerHandle call_at(std::chrono::nanoseconds deadline, F&& fn) {
        return start_callback(deadline, unknown_delay, std::forward<F>(fn));
    }
    /// Callback timers armed and not yet run or cancelled (one running counts until it returns).
    std::size_t pending_callbacks() const noexcept;

    /// Coroutines not yet finished.
    std::size_t alive() const noexcept { return m_live.size(); }
    const Options& options() const noexcept { return m_options; }
    /// Scheduler time: the clock's now().
    std::chrono::nanoseconds now() const { return m_clock->now(); }
    /// The coroutine whose body is executing right now, or nullptr.
    Coroutine* current() const noexcept { return m_running; }
    /// The proactor backend it picked ("epoll", "io_uring" ...: docs/proactors.md).
    std::string_view proactor_name() const;

    // Everything else is for two other audiences, each with its own header:
    //   cogen/scheduler_core.hpp      SchedulerCore: what an operation's hooks
    //                                 call (schedule, run_now, timers, ...)
    //   cogen/scheduler_observer.hpp  SchedulerObserver: what views, steppers
    //                                 and instruments read or swap
    // The members below are private and reached only through those two.

  private:
    friend class SchedulerCore;
    friend class SchedulerObserver;
    friend class TimerHandle;

    // --- callback timers (callback_timer.cpp) ----------------------------------
    // `delay` is what timer.arm carries: call_later's own (exact), or unknown_delay
    // for call_at (the trace then says deadline - now).
    static constexpr std::int64_t unknown_delay = INT64_MIN;
    template <class F>
    TimerHandle start_callback(std::chrono::nanoseconds deadline, std::int64_t delay, F&& fn);
    detail::CallbackSlot& new_callback();                     // a free slot
    void drop_callback(detail::CallbackSlot& slot) noexcept;  // unused slot back (no callable)
    TimerHandle arm_callback(detail::CallbackSlot& slot, std::chrono::nanoseconds deadline,
                             std::int64_t delay);
    bool cancel_callback(std::uint32_t slot, std::uint64_t id) noexcept;  // TimerHandle::cancel
    bool callback_pending(std::uint32_t slot, std::uint64_t id) const noexcept;
    void fire_callback(detail::CallbackSlot& slot, std::int64_t deadline, std::int64_t now);
    void drop_callbacks() noexcept;  // teardown: every pending callable destroyed unrun
    /// A callback timer's event: coro = the running coroutine (0 none), op = the timer's id.
    void emit_timer(EventKind kind, std::uint64_t id, std::int64_t a = 0, std::int64_t b = 0,
                    std::uint32_t text = 0) {
        if (m_instrument) [[unlikely]]
            emit_timer_slow(kind, id, a, b, text);
    }
    void emit_timer_slow(EventKind kind, std::uint64_t id, std::int64_t a, std::int64_t b,
                         std::uint64_t text);

    /// Replaces the time source (nullptr: the built-in SteadyClock) and returns the old one
    /// (nullptr when it was the built-in one). Deadlines are absolute, so the new clock must
    /// go on from the old one's now() (PausableClock does). Between steps only; not owned.
    /// Reached through SchedulerObserver (the visualizer lends a clock that stops while paused).
    Clock* exchange_clock(Clock* clock) noexcept {
        Clock* const old = m_clock == &m_steady ? nullptr : m_clock;
        m_clock = clock ? clock : &m_steady;
        return old;
    }
    /// The clock in use (never nullptr).
    const Clock& clock() const noexcept { return *m_clock; }

    // --- for SchedulerObserver (documented there) ------------------------------
    std::vector<ReadyPair> ready_pairs() const;
    bool at_pick() const noexcept;
    bool step_pick(std::size_t index);
    std::optional<std::chrono::nanoseconds> next_timer_delta() const;
    std::size_t active_size() const noexcept { return m_active.size() + (m_urgent.coro ? 1 : 0); }
    void set_instrument(Instrument* instrument);
    Instrument* exchange_instrument(Instrument* instrument) noexcept;
    void emit_run_begin();  // the sched.run.begin / .end pair around run()
    void emit_run_end();

    // --- for SchedulerCore (documented there) ---------------------------------
    void schedule(Operation& op, Placement where, Outcome cause, std::uint64_t cause_id = 0);
    void run_now(Coroutine& coro, Operation* op, Outcome cause, std::uint64_t cause_id = 0);
    void schedule_error(Operation& op, std::exception_ptr error, Placement where);
    Priority resolve(Priority p) const noexcept {
        return p == Priority::DEFAULT ? m_options.default_priority : p;
    }
    void io_completed(Operation& op, bool last);
    void io_completed_slow(Operation& op, bool last);  // tracing, urgent, greedy, op-bit
    void io_completed_traced(Operation& op, bool last, int fd);
    void add_joiner(Coroutine& target, Operation& join_op);
    void remove_joiner(Coroutine& target, Operation& join_op) noexcept;
    void cancel(Coroutine& coro);
    friend void detail::cancel_coroutine(Coroutine& coro);

    /// Emit one trace event. One predictable branch when no instrument is installed; with a
    /// ring instrument on the steady clock (every tracer sink) the record is built by one of
    /// three emit_ring() instances, chosen by the kind (known at each call site), out of line
    /// so that the untraced path stays one test.
    [[gnu::always_inline]] void emit(EventKind kind, const Coroutine* coro = nullptr,
                                     const Operation* op = nullptr, int fd = -1, std::int64_t a = 0,
                                     std::int64_t b = 0, std::uint32_t text = 0) {
        if (m_instrument) [[unlikely]] {
            if (!m_tick_ring) [[unlikely]] {
                emit_slow(kind, coro, op, fd, a, b, text);
            } else if (kind == EventKind::op_process) {
                emit_ring<false, true>(kind, coro, op, fd, a, b, text);
            } else if (reads_clock(kind)) {
                emit_ring<true, false>(kind, coro, op, fd, a, b, text);
            } else {
                emit_ring<false, false>(kind, coro, op, fd, a, b, text);
            }
        }
    }
    /// emit() for the scheduler's hottest transitions (pick, resume, suspend, process): the
    /// ring path inline, where the loop's registers are saved already.
    [[gnu::always_inline]] void emit_hot(EventKind kind, const Coroutine* coro, const Operation* op,
                                         int fd = -1, std::int64_t a = 0, std::int64_t b = 0,
                                         std::uint32_t text = 0) {
        if (m_instrument) [[unlikely]] {
            if (!m_tick_ring) [[unlikely]] {
                emit_slow(kind, coro, op, fd, a, b, text);
            } else if (kind == EventKind::op_process) {
                ring_event<false, true>(kind, coro, op, fd, a, b, text);
            } else if (reads_clock(kind)) {
                ring_event<true, false>(kind, coro, op, fd, a, b, text);
            } else {
                ring_event<false, false>(kind, coro, op, fd, a, b, text);
            }
        }
    }
    /// The coro.suspend of `c` on `next` (named `name`). On the ring path the name's id is
    /// looked up here, once per await, and kept in the coroutine record: the op's later
    /// events (register, process, run, ready, finalize, resume) read it from there.
    [[gnu::always_inline]] void emit_suspend(Coroutine& c, const Operation& next,
                                             std::string_view name) {
        if (m_instrument) [[unlikely]] {
            if (m_tick_ring) [[likely]] {
                c.m_last_op_type = name_id(name.data(), name.size());
                ring_event<true, false>(EventKind::coro_suspend, &c, &next, -1, 0, 0, 0);
            } else {
                emit_slow(EventKind::coro_suspend, &c, &next, -1, 0, 0, 0);
            }
        }
    }
    /// The proactor.register of `op`, which `coro` awaits, on `fd` (reads: for reading). On
    /// the ring path, made during the op.process of a suspension still deferred (below), it
    /// joins that record instead of taking its own.
    void emit_register(const Coroutine* coro, const Operation& op, int fd, bool reads) {
        if (m_instrument) [[unlikely]] {
            if (m_deferred == Deferred::suspend && coro == m_current.coro && &op == m_current.op)
                [[likely]] {
                m_deferred = reads ? Deferred::suspend_read : Deferred::suspend_write;
                m_deferred_fd = fd;
                return;
            }
            emit(EventKind::proactor_register, coro, &op, fd, reads ? 1 : 2);
        }
    }
    /// The op.finalize (when `finalized`) and coro.resume of a resume: one record on the
    /// ring path (EventRecord::after_finalize), two events elsewhere.
    [[gnu::always_inline]] void emit_resume(const Coroutine& c, const Operation* op,
                                            ResumeMode mode, bool finalized) {
        if (m_instrument) [[unlikely]] {
            if (m_tick_ring && finalized) [[likely]] {
                ring_event<false, false>(EventKind::coro_resume, &c, op, -1,
                                         static_cast<std::int64_t>(mode), 0, 0,
                                         EventRecord::after_finalize);
            } else {
                if (finalized) emit_hot(EventKind::op_finalize, &c, op);
                emit_hot(EventKind::coro_resume, &c, op, -1, static_cast<std::int64_t>(mode));
            }
        }
    }
    /// The pick's sched.active (m_current just taken from the queue). In run()'s loop (defer)
    /// on the ring path it waits for the resume that follows (Deferred::taken).
    template <bool defer>
    [[gnu::always_inline]] void emit_taken() {
        if (m_instrument) [[unlikely]] {
            if (defer && m_tick_ring) [[likely]] {
                settle_deferred();
                m_deferred = Deferred::taken;
                m_deferred_queue = m_active.size();
                return;
            }
            emit_hot(EventKind::sched_active, m_current.coro, nullptr, -1,
                     static_cast<std::int64_t>(m_active.size()),
                     static_cast<std::int64_t>(ActiveChange::taken));
        }
    }
    bool tracing() const noexcept { return m_instrument != nullptr; }
    std::uint32_t intern(std::string_view text);

    struct Pair {
        Coroutine* coro = nullptr;
        Operation* op = nullptr;  // nullptr: start / resume with nothing
    };
    enum class Phase : std::uint8_t { pick, resume, process, poll, timers };

    template <class T>
    std::shared_ptr<CoroutineOf<T>> adopt(Coro<T> coro, std::string name, std::uint64_t parent,
                                          Priority prio);
    void adopt_record(std::shared_ptr<Coroutine> record, std::coroutine_handle<> handle,
                      detail::PromiseBase& promise, std::string name, std::uint64_t parent,
                      Priority prio);
    // Where the io_completed functions put a completion; no event written.
    ActiveChange place_completed(Pair pair, bool last);
    // Inline everywhere: out of line, its call and register saves were half its cost (one
    // push per parked request, from io_completed()).
    [[gnu::always_inline]] void push(Pair pair, Placement where) {
        push(pair, where, where == Placement::front ? ActiveChange::front : ActiveChange::back);
    }
    [[gnu::always_inline]] void push(Pair pair, Placement where, ActiveChange change) {
        pair.coro->m_queued = true;
        if (where == Placement::front) {
            m_active.push_front(pair);
        } else {
            m_active.push_back(pair);
        }
        emit_active(pair.coro, change);
    }
    /// The sched.active event of a change of the active queue (or urgent slot). On the ring
    /// path, the requeue of a coroutine whose suspension is deferred (a yield) joins that
    /// record instead of taking its own.
    void emit_active(const Coroutine* coro, ActiveChange change) {
        if (m_instrument) [[unlikely]] {
            if (m_deferred == Deferred::suspend && coro == m_current.coro) {
                m_deferred = Deferred::suspend_queued;
                m_deferred_queue = m_active.size();
                m_deferred_change = change;
                return;
            }
            emit(EventKind::sched_active, coro, nullptr, -1,
                 static_cast<std::int64_t>(m_active.size()), static_cast<std::int64_t>(change));
        }
    }
    /// At a pick from the queue: start fetching what the next picks touch (the record and
    /// op of the pair after next; the frame head of the next one, whose record was fetched
    /// at the pick before). With hundreds of coroutines queued by one poll, their state has
    /// gone cold since they last ran; one pair's chain is long enough to fetch the next's.
    [[gnu::always_inline]] void prefetch_ahead() noexcept {
        const std::size_t queued = m_active.size();
        if (queued > 1) {
            const Pair& later = m_active[1];
            detail::prefetch_record(later.coro);
            if (later.op) {
                __builtin_prefetch(later.op);
                __builtin_prefetch(reinterpret_cast<const char*>(later.op) + 64);
            }
        }
        if (queued > 0) detail::prefetch_frame(m_active.front().coro);
    }
    template <bool one_step>
    bool advance();                         // step() (one_step) and run()'s loop: one phase machine
    bool poll_would_idle() const noexcept;  // poll_phase() would do nothing now
    bool timers_would_idle() const noexcept;  // timers_phase() would do nothing now

    // One function per transition of the diagram. resume/process/finish
    // return the phase that comes next; m_current holds the pair it works on.
    template <bool defer = false>   // defer: run()'s loop (see m_deferred)
    Phase resume(Pair pair);        // finalize + resume a coroutine (or start it)
    Phase process(Pair pair);       // op.process on what it awaits now
    Phase finish(Coroutine& coro);  // it returned or threw: wake caller/joiners
    void run_chain(Pair pair);      // resume+process until nothing runs now
    bool poll_phase();              // proactor poll, or sleep until the next timer
    bool timers_phase();            // expired deadlines: timeouts and Sleep wake-ups
    void wake_joiners(Coroutine& coro, Pair* now);  // now: take the most recent
    void report_failure(Coroutine& coro);
    void kill(Coroutine& coro, std::string_view reason);
    void forget(Coroutine& coro);
    /// The coro.spawn event of `c` (at its adoption, or when an instrument is attached).
    void announce(const Coroutine& c, Priority prio);
    // `text` is passed as a full word: it is the argument that goes on the stack, and a
    // 32-bit one is stored narrow and reloaded wide (a store-forwarding stall per event).
    void emit_slow(EventKind kind, const Coroutine* coro, const Operation* op, int fd,
                   std::int64_t a, std::int64_t b, std::uint64_t text);
    /// The kinds that follow user code or a wait read the clock; the others reuse the latest
    /// reading (they happen within the same scheduler transition).
    static constexpr bool reads_clock(EventKind kind) noexcept {
        switch (kind) {
            case EventKind::coro_spawn:
            case EventKind::coro_suspend:
            case EventKind::coro_finish:
            case EventKind::coro_fail:
            case EventKind::coro_kill:
            case EventKind::proactor_poll_begin:
            case EventKind::proactor_poll_end:
            case EventKind::timer_fire:
            case EventKind::timer_done:
            case EventKind::sched_run_begin:
            case EventKind::sched_run_end:
                return true;
            default:
                return false;
        }
    }
    // The ring path of emit(): stamped in ticks, packed, stored straight into the tracer's
    // ring. `clock`: the kind reads the clock; `process`: op.process, whose op says what it
    // waits for. An event about the op a coroutine awaits takes the op's name id from the
    // coroutine record (looked up once, at its suspension): one load, no virtual call.
    template <bool clock, bool process>
    [[gnu::always_inline]] void ring_event(EventKind kind, const Coroutine* coro,
                                           const Operation* op, int fd, std::int64_t a,
                                           std::int64_t b, std::uint64_t text,
                                           std::uint8_t pair = 0) {
        const std::uint32_t op_type = !op    ? 0
                                      : coro ? awaited_op_type(*coro, *op)
                                             : op_type_of(*op);
        std::uint64_t target = 0;
        if constexpr (process) target = op->wait_target();
        push_tick_record(kind, clock, coro ? coro->id() : 0, op ? op->id() : 0, op_type, fd, a, b,
                         text, target, pair);
    }
    // The name id of `op`: from the coroutine record when it is the op `c` awaits (looked
    // up once, at its suspension), else looked up.
    [[gnu::always_inline]] std::uint32_t awaited_op_type(const Coroutine& c, const Operation& op) {
        return c.m_op == &op && c.m_last_op_type ? c.m_last_op_type : op_type_of(op);
    }
    // Stamps (when `clock`), packs and stores one record into m_tick_ring: the end of
    // ring_event() and of emit_ids() (callback timers), with the ids known. A caller that may
    // come while a suspension is deferred writes it first (settle_deferred(), before the clock
    // is read: the deferred events have the older time); the inline callers in run()'s loop
    // never do.
    [[gnu::always_inline]] void push_tick_record(EventKind kind, bool clock, std::uint64_t coro,
                                                 std::uint64_t op, std::uint32_t op_type, int fd,
                                                 std::int64_t a, std::int64_t b, std::uint64_t text,
                                                 std::uint64_t target, std::uint8_t pair = 0,
                                                 std::uint16_t aux = 0) {
        if (clock) m_tick_stamp = std::max(m_tick_stamp, m_ticks->now() - m_tick0);
        const bool packed = target != 0;
        m_seq += EventRecord::events_for(pair);  // a record for n events takes n seqs
        const EventRecord r{
            .t = m_tick_stamp,
            .seq = m_seq,
            .coro = coro,
            .op = op,
            .a = packed ? static_cast<std::int64_t>(target) : a,
            .b = b,
            .names = op_type | text << 32,
            .misc = EventRecord::pack_misc(
                fd, kind,
                static_cast<std::uint8_t>(EventRecord::ticks | pair |
                                          (packed ? EventRecord::packed_target : 0)),
                packed ? static_cast<std::uint16_t>(a) : aux)};
        if (clock && kind == EventKind::proactor_poll_end) m_last_poll_seq = r.seq;
        m_tick_ring->push(r);
    }
    template <bool clock, bool process>
    [[gnu::noinline]] void emit_ring(EventKind kind, const Coroutine* coro, const Operation* op,
                                     int fd, std::int64_t a, std::int64_t b, std::uint64_t text);
    // emit_slow() once the ids are known (and emit_timer_slow()); scheduler.cpp only.
    void emit_ids(EventKind kind, std::uint64_t coro, std::uint64_t op, std::uint32_t op_type,
                  int fd, std::int64_t a, std::int64_t b, std::uint64_t text, std::uint64_t target);

    Options m_options;
    SteadyClock m_steady;
    Clock* m_clock;
    std::unique_ptr<SchedulerCore> m_core;  // what operations are handed (Coroutine::m_core)
    std::unique_ptr<Instrument> m_owned_instrument;
    Instrument* m_instrument = nullptr;
    RecordRing* m_ring = nullptr;       // m_instrument's record_ring(): events go straight in
    RecordRing* m_tick_ring = nullptr;  // m_ring when stamped in ticks (the steady clock)
    std::unique_ptr<Proactor> m_proactor;
    std::unique_ptr<detail::TimerHeap> m_timers;
    std::unique_ptr<detail::CallbackSlab> m_callbacks;  // the callback timers' slots
    std::unique_ptr<detail::SignalTable> m_signals;

    detail::RingDeque<Pair> m_active;
    Pair m_urgent;   // last I/O completion of a poll: runs first next pass
    Pair m_current;  // the pair the current phase works on
    Pair m_now;      // set by run_now() during process()
    Phase m_phase = Phase::pick;
    std::atomic<bool> m_stop{false};
    Coroutine* m_running = nullptr;

    // Live coroutines: the owning records and the view of them, same index.
    std::vector<std::shared_ptr<Coroutine>> m_records;
    std::vector<const Coroutine*> m_live;
    std::uint64_t m_next_coro_id = 0;
    std::uint64_t m_next_op_id = 0;

    // Tracing state.
    std::uint64_t m_seq = 0;
    std::int64_t m_t0 = 0;
    std::int64_t m_stamp = 0;  // t_ns of the latest clock reading (emit_slow)
    // Ring instruments on the steady clock are stamped in TickClock ticks since m_tick0
    // (the tick count at m_t0); m_tick_stamp is the latest reading, as m_stamp.
    const TickClock* m_ticks = nullptr;
    std::uint64_t m_tick0 = 0;
    std::uint64_t m_tick_stamp = 0;
    void adopt_ring();  // m_ring and the tick base for the instrument just installed
    std::uint64_t m_last_poll_seq = 0;
    std::uint64_t m_last_timer_seq = 0;
    // The ring path in run()'s loop defers a coroutine's coro.suspend to the op.process that
    // follows it, with the proactor.register its op makes in between (emit_register) or the
    // sched.active of its requeue (emit_active): they become one record
    // (EventRecord::after_suspend) when nothing else is emitted between them. An op ready at
    // its process defers that record in turn to the op.finalize and coro.resume that follow
    // (step_ready: EventRecord::resumed). The pick's sched.active waits for the resume that
    // follows it (taken: EventRecord::taken). Any other record written first writes what is
    // deferred (write_deferred), so the events keep their order and seqs. The deferred
    // pair is m_current.
    enum class Deferred : std::uint8_t {
        none,
        suspend,
        suspend_read,
        suspend_write,
        suspend_queued,
        step_ready,
        taken
    };
    Deferred m_deferred = Deferred::none;
    int m_deferred_fd = -1;               // the deferred register's, the ready process's
    std::size_t m_deferred_queue = 0;     // the deferred sched.active's queue size
    ActiveChange m_deferred_change = {};  // and change
    std::int64_t m_deferred_timeout = 0;  // the ready process's b, text and target
    std::uint32_t m_deferred_text = 0;
    std::uint64_t m_deferred_target = 0;
    [[gnu::noinline]] void write_deferred();
    // What a record about to be written must come after: the deferred events, if any.
    [[gnu::always_inline]] void settle_deferred() {
        if (m_deferred != Deferred::none) [[unlikely]]
            write_deferred();
    }
    void emit_step(Coroutine& c, Operation& op, int fd, Outcome outcome, std::int64_t timeout,
                   std::uint32_t text, std::uint64_t target, bool resumes);
    std::uint32_t label_of(const Operation& op);
    std::unordered_map<std::string, std::uint32_t> m_strings;
    struct NameCacheEntry {
        const char* data = nullptr;
        std::size_t size = 0;
        std::uint32_t id = 0;
    };
    std::vector<NameCacheEntry> m_name_cache;
    NameCacheEntry m_last_name;
    std::uint32_t intern_name(std::string_view name);
    // Operation names by address, direct-mapped: the inline lookup of emit_ring().
    static constexpr std::size_t name_slots = 64;
    NameCacheEntry m_name_slots[name_slots] = {};
    std::uint32_t name_id(const char* data, std::size_t size) {
        const NameCacheEntry& e =
            m_name_slots[(reinterpret_cast<std::uintptr_t>(data) >> 3) & (name_slots - 1)];
        if (e.data == data && e.size == size) [[likely]]
            return e.id;
        return name_id_slow(data, size);
    }
    std::uint32_t name_id_slow(const char* data, std::size_t size);
    // An op emits several events in a row (process, suspend, ready, resume, finalize): the
    // one it was last asked about keeps its name's id, so those need no name() call.
    const Operation* m_named_op = nullptr;
    std::uint64_t m_named_op_id = 0;
    std::uint32_t m_named_op_type = 0;
    std::uint32_t op_type_of(const Operation& op);
};

// --- templates -----------------------------------------------------------------

template <class T>
std::shared_ptr<CoroutineOf<T>> Scheduler::adopt(Coro<T> coro, std::string name,
                                                 std::uint64_t parent, Priority prio) {
    auto handle = coro.release();
    auto record = std::make_shared<CoroutineOf<T>>();
    adopt_record(record, handle, handle.promise(), std::move(name), parent, prio);
    return record;
}

template <class F>
TimerHandle Scheduler::start_callback(std::chrono::nanoseconds deadline, std::int64_t delay,
                                      F&& fn) {
    static_assert(std::is_invocable_v<std::decay_t<F>&>,
                  "call_later/call_at: the callback is called with no arguments");
    detail::CallbackSlot& slot = new_callback();
    try {
        detail::emplace_callback(slot, std::forward<F>(fn));
    } catch (...) {
        drop_callback(slot);
        throw;
    }
    return arm_callback(slot, deadline, delay);
}

template <class T>
CoroRef<T> Scheduler::add(Coro<T> coro, AddOptions options) {
    const std::uint64_t parent = m_running ? m_running->id() : 0;
    auto record = adopt(std::move(coro), std::string(options.name), parent, options.priority);
    push({record.get(), nullptr}, options.front ? Placement::front : Placement::back);
    return CoroRef<T>{std::move(record)};
}

}  // namespace cogen

// SchedulerCore: the scheduler as an operation sees it. Every Operation hook
// (process, finalize, cleanup) is handed one; its members are the arrows of
// the loop diagram in docs/design.md (queue a coroutine, run one now, arm a
// timer, talk to the proactor). A program that only adds and runs coroutines
// never needs this header: cogen/scheduler.hpp is its whole surface.
// Writing an operation: docs/operation-protocol.md, tutorial 03.
#pragma once
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/coro.hpp"
#include "cogen/coro_ref.hpp"
#include "cogen/instrument.hpp"
#include "cogen/operation.hpp"
#include "cogen/priority.hpp"
#include "cogen/scheduler.hpp"

namespace cogen {

/// What an operation may do to the scheduler that runs it. A thin handle
/// (one pointer): the scheduler owns one and passes it to every hook, so an
/// op body reads `sched.schedule(*this, ...)` as it always did.
///
/// Outside a hook (a test, a Signal raised by a program, a backend) get one
/// with SchedulerCore::of(sched).
class SchedulerCore {
  public:
    SchedulerCore(const SchedulerCore&) = delete;
    SchedulerCore& operator=(const SchedulerCore&) = delete;

    /// The core of `sched` (the same object its hooks receive).
    static SchedulerCore& of(Scheduler& sched) noexcept { return *sched.m_core; }
    /// The program-facing scheduler (add, now, options ...).
    Scheduler& scheduler() const noexcept { return m_s; }

    // --- Program basics, repeated so an op needs no second handle --------------
    const SchedulerOptions& options() const noexcept { return m_s.options(); }
    std::chrono::nanoseconds now() const { return m_s.now(); }
    /// The coroutine whose body is executing right now, or nullptr.
    Coroutine* current() const noexcept { return m_s.current(); }
    /// Resolves a priority: DEFAULT becomes default_priority.
    Priority resolve(Priority p) const noexcept { return m_s.resolve(p); }

    // --- The arrows of the diagram ---------------------------------------------
    /// A parked op became ready: queue its coroutine. `cause` and `cause_id`
    /// say why (op.ready; docs/trace-format.md). Disarms its timer.
    void schedule(Operation& op, Placement where, Outcome cause, std::uint64_t cause_id = 0) {
        m_s.schedule(op, where, cause, cause_id);
    }
    /// From inside process(): run `op`'s coroutine right after this process
    /// call returns (cogen's "now" pair), instead of the awaiting one. The
    /// awaiting coroutine must have been parked or scheduled by the caller.
    void run_now(Operation& op, Outcome cause, std::uint64_t cause_id = 0) {
        m_s.run_now(*op.coroutine(), &op, cause, cause_id);
    }
    /// As run_now(op, ...) for `coro`, which may have no op yet (a coroutine
    /// spawned parked, resumed for the first time).
    void run_now(Coroutine& coro, Operation* op, Outcome cause, std::uint64_t cause_id = 0) {
        m_s.run_now(coro, op, cause, cause_id);
    }
    /// Queue `op`'s coroutine with `error` thrown at its co_await (cleanup()
    /// is the caller's business).
    void schedule_error(Operation& op, std::exception_ptr error, Placement where) {
        m_s.schedule_error(op, std::move(error), where);
    }
    /// From inside process(): queue the awaiting op's own coroutine per
    /// `where` (it resumes with finalize() later) and return parked.
    Disposition requeue(Operation& op, Placement where) {
        m_s.push({op.coroutine(), &op}, where);
        return Disposition::parked;
    }
    /// Length of the active queue (plus the urgent pair): is anyone else runnable?
    std::size_t active_size() const noexcept { return m_s.active_size(); }
    /// Cancel a coroutine (what CoroRef::cancel does).
    void cancel(Coroutine& coro) { m_s.cancel(coro); }

    // --- Coroutines started by operations --------------------------------------
    /// Add a coroutine from an op (AddCoro): placement per cogen's rules.
    template <class T>
    CoroRef<T> add_from(Coro<T> coro, AddOptions options, Placement where, std::uint64_t parent);
    /// Register a coroutine called by `call_op`'s coroutine (Call): it starts
    /// like an added one (one yield first), and its end resumes the caller now.
    /// `name` as in AddOptions (empty: "coro-<id>").
    template <class T>
    std::shared_ptr<CoroutineOf<T>> start_call(Coro<T> coro, Operation& call_op,
                                               std::string name = {});
    /// Register a coroutine without queueing it: it runs when an op hands it
    /// the CPU (run_now). Used by pipes.
    template <class T>
    std::shared_ptr<CoroutineOf<T>> spawn_parked(Coro<T> coro, AddOptions options,
                                                 std::uint64_t parent);
    /// Register `join_op` as a joiner of `target` (alive).
    void add_joiner(Coroutine& target, Operation& join_op) { m_s.add_joiner(target, join_op); }
    /// Remove a joiner (Join's cleanup).
    void remove_joiner(Coroutine& target, Operation& join_op) noexcept {
        m_s.remove_joiner(target, join_op);
    }

    // --- What the scheduler owns -----------------------------------------------
    /// The timer heap (TimedOperation arms its deadline here).
    detail::TimerHeap& timers() noexcept { return *m_s.m_timers; }
    /// Signal tables (cogen's sigwait / signals), for Signal and WaitForSignal.
    detail::SignalTable& signals() noexcept { return *m_s.m_signals; }
    Proactor& proactor() noexcept { return *m_s.m_proactor; }
    /// The proactor ran `op` to completion (done). `last` = last of its poll
    /// batch (it becomes urgent). Applies cogen's I/O completion rules.
    void io_completed(Operation& op, bool last) { m_s.io_completed(op, last); }
    /// io_completed() while tracing, for a run on `fd` that completed the op and whose
    /// registration the proactor just dropped, before emitting op.run and
    /// proactor.unregister: the scheduler emits them, with op.ready and sched.active, as
    /// one ring record where it can (EventRecord::completed), else one by one.
    void io_completed_traced(Operation& op, bool last, int fd) {
        m_s.io_completed_traced(op, last, fd);
    }
    /// Seq of the last proactor.poll.end (cause id of I/O completions).
    std::uint64_t last_poll_seq() const noexcept { return m_s.m_last_poll_seq; }

    // --- Trace events ----------------------------------------------------------
    /// Emit one trace event. One predictable branch when no instrument is installed.
    [[gnu::always_inline]] void emit(EventKind kind, const Coroutine* coro = nullptr,
                                     const Operation* op = nullptr, int fd = -1, std::int64_t a = 0,
                                     std::int64_t b = 0, std::uint32_t text = 0) {
        m_s.emit(kind, coro, op, fd, a, b, text);
    }
    /// The proactor.register of `op` (awaited by `coro`) on `fd`, for reading or writing:
    /// emit() it through here, which lets the ring path fold it into the op's step record.
    void emit_register(const Coroutine* coro, const Operation& op, int fd, bool reads) {
        m_s.emit_register(coro, op, fd, reads);
    }
    bool tracing() const noexcept { return m_s.tracing(); }
    /// Intern a string for events (0 for empty). Only meaningful while tracing.
    std::uint32_t intern(std::string_view text) { return m_s.intern(text); }

  private:
    friend class Scheduler;
    explicit SchedulerCore(Scheduler& s) noexcept : m_s(s) {}

    Scheduler& m_s;
};

// --- templates -----------------------------------------------------------------

template <class T>
CoroRef<T> SchedulerCore::add_from(Coro<T> coro, AddOptions options, Placement where,
                                   std::uint64_t parent) {
    auto record = m_s.adopt(std::move(coro), std::string(options.name), parent, options.priority);
    m_s.push({record.get(), nullptr}, where);
    return CoroRef<T>{std::move(record)};
}

template <class T>
std::shared_ptr<CoroutineOf<T>> SchedulerCore::start_call(Coro<T> coro, Operation& call_op,
                                                          std::string name) {
    Coroutine& caller = *call_op.coroutine();
    auto record = m_s.adopt(std::move(coro), std::move(name), caller.id(), Priority::DEFAULT);
    record->m_caller = &caller;
    // The callee's first round only "creates its frame", then yields: it
    // continues now when nothing else is runnable, else goes to the back.
    record->m_started = true;
    if (m_s.m_active.empty() && !m_s.m_urgent.coro) {
        m_s.m_now = {record.get(), nullptr};
    } else {
        m_s.push({record.get(), nullptr}, Placement::back);
    }
    return record;
}

template <class T>
std::shared_ptr<CoroutineOf<T>> SchedulerCore::spawn_parked(Coro<T> coro, AddOptions options,
                                                            std::uint64_t parent) {
    auto record = m_s.adopt(std::move(coro), std::string(options.name), parent, options.priority);
    record->m_started = true;
    return record;
}

}  // namespace cogen

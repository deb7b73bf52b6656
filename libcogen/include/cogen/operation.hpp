// The Operation protocol: the four hooks the Scheduler calls on everything a
// coroutine co_awaits (process, run, finalize, cleanup). Sequence diagrams:
// docs/operation-protocol.md. Introduced in tutorial chapter 03.
#pragma once
#include <coroutine>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

#include "cogen/coro.hpp"
#include "cogen/instrument.hpp"
#include "cogen/priority.hpp"

namespace cogen {

class Scheduler;
class SchedulerCore;  // cogen/scheduler_core.hpp: what the hooks may do
class Proactor;

/// What process() decided.
enum class Disposition {
    complete,  ///< The result is ready: the awaiting coroutine resumes now.
    parked,    ///< The op registered itself (timer heap, proactor, wait list,
               ///< or queued its coroutine) and will be rescheduled from there.
};

/// What one non-blocking attempt in run() achieved.
enum class Progress {
    done,   ///< Finished, successfully or with an error stored by fail().
    again,  ///< Would block: stay registered, retry on the next readiness.
};

/// Which readiness an I/O operation waits for.
enum class Interest : std::uint8_t { none = 0, read = 1, write = 2 };

namespace detail {
class TimerHeap;  // the scheduler's deadlines: an armed op's timer state lives there
}  // namespace detail

/// Base class of everything a coroutine can co_await on a cogen Scheduler.
///
/// The Scheduler calls the hooks in this order, and only in this order:
///
///   1. process(sched, coro)  exactly once, right after the coroutine suspends
///   2. run()                 0..n times, I/O operations only, on readiness
///   3. finalize(sched)       exactly once, just before the coroutine resumes;
///                            its return value is the value of `co_await`
///   4. cleanup(sched, coro)  only on timeout or cancellation, instead of
///                            finalize; undoes whatever process() registered
///
/// An op that fails (fail(), or an exception out of process) skips finalize:
/// the exception is thrown at the co_await. Derive from OperationOf<T> (or
/// TimedOperation<T>) and override the hooks you need; never touch coroutine
/// handles. An operation object lives in the awaiting coroutine's frame and
/// must not move while it is awaited.
///
/// An operation does nothing until it is co_awaited: `Sleep{50ms};` alone
/// builds an object and throws it away. So every operation cogen ships is
/// `[[nodiscard]]` twice: on the class (a function returning it, such as
/// `q.put(x)`, warns when its result is dropped) and on its public
/// constructors (g++ warns on a discarded temporary only through a nodiscard
/// constructor). Mark your own operations the same way. Tutorial chapter 03.
class Operation {
  public:
    Operation(const Operation&) = delete;
    Operation& operator=(const Operation&) = delete;
    virtual ~Operation() = default;

    // Operation protocol, in call order ------------------------------------
    virtual Disposition process(SchedulerCore& sched, Coroutine& coro) = 0;  // 1
    virtual Progress run() { return Progress::done; }                        // 2
    // 3. finalize(): typed, in OperationOf<T>
    virtual void cleanup(SchedulerCore& sched, Coroutine& coro);  // 4

    /// Stable, human name for traces and views: "Recv", "Sleep". Must view
    /// static storage (a string literal).
    virtual std::string_view name() const = 0;

    // What the op waits on, for the proactor, traces and stall blame -------
    /// The descriptor an I/O op waits on, else -1.
    virtual int fd() const noexcept { return -1; }
    /// The readiness an I/O op waits for.
    virtual Interest interest() const noexcept { return Interest::none; }
    /// The kind of wait process() parks in (traces: op.process outcome).
    virtual Outcome waits_on() const noexcept { return Outcome::other; }
    /// A label for the wait: the signal name, a queue's name. Each distinct label is
    /// interned once in a trace's string table for the rest of the run, so it names a
    /// thing that lasts (a signal, a queue), not one wait: a join or call names its
    /// coroutine by id, in wait_target(), and has no label.
    virtual std::string wait_label() const { return {}; }
    /// What the op.process event's `target` carries, 0 = nothing: the coroutine a
    /// join-like wait is for (its id), a queue's level after process()
    /// (trace_target::queue_level), or the bytes an I/O op moved inside process()
    /// (trace_target::bytes). Called only when tracing. trace_event_view.hpp.
    virtual std::uint64_t wait_target() const noexcept { return 0; }
    /// Bytes moved by the last run() (traces: op.run), or -errno on failure.
    virtual std::int64_t transferred() const noexcept { return 0; }

    /// fd(), waits_on() and wait_target() at once, and whether wait_label() may have
    /// text: what an op.process event says, asked once after process() while tracing.
    struct WaitFacts {
        std::uint64_t target = 0;
        int fd = -1;
        Outcome waits_on = Outcome::other;
        bool labelled = true;  ///< false: wait_label() is empty and is not called
    };
    /// The default asks the four functions above; an op whose answers are a few loads
    /// overrides it (the socket ops), so that a traced op.process makes one call for them.
    /// An override must answer as those functions do.
    virtual WaitFacts wait_facts() const noexcept {
        return {wait_target(), fd(), waits_on(), true};
    }

    /// What the op's deadline means. false (the default): a timeout —
    /// cleanup(), then OperationTimeout at the co_await. true: the deadline is
    /// the event the op waits for (Sleep): it resumes normally via finalize().
    virtual bool completes_at_deadline() const noexcept { return false; }

    /// Unique per await within a scheduler; 0 before process().
    std::uint64_t id() const noexcept { return m_id; }
    /// The priority; DEFAULT is resolved to the scheduler's before process().
    Priority priority() const noexcept { return m_prio; }
    /// The coroutine awaiting this op (set before process()).
    Coroutine* coroutine() const noexcept { return m_coro; }
    /// True once fail() stored an error (or a timeout/cancellation did).
    bool failed() const noexcept { return static_cast<bool>(m_error); }

    /// Record progress: re-arms a weak timeout (call from run() when some
    /// bytes moved but the op is not done).
    void record_progress() noexcept;

    /// The index of an op without an armed deadline (the timer heap's business).
    static constexpr std::uint32_t no_timer = 0xffffffffu;

  protected:
    explicit Operation(Priority prio = Priority::DEFAULT) noexcept : m_prio(prio) {}
    Operation(Operation&&) noexcept = default;

    /// Store an error: the co_await throws it instead of calling finalize().
    void fail(std::exception_ptr error) noexcept { m_error = std::move(error); }
    template <class E>
    void fail(E error) {
        m_error = std::make_exception_ptr(std::move(error));
    }
    /// The scheduler this op was processed by, as hooks see it (valid from
    /// process() on).
    SchedulerCore& scheduler() const noexcept { return *m_coro->m_core; }
    /// Rethrow a stored error, if any (the awaiter does this at resume).
    void rethrow_if_failed() const {
        if (m_error) std::rethrow_exception(m_error);
    }

  private:
    friend class Scheduler;
    friend class Proactor;
    friend class detail::TimerHeap;

    Coroutine* m_coro = nullptr;  // set by the scheduler before process()
    std::exception_ptr m_error;
    std::uint64_t m_id = 0;
    // Where its deadline sits in the timer heap, no_timer when none is armed. The
    // deadline, arming order and timeout length live in that heap node, so an op
    // that never arms one (most parked I/O) carries 4 bytes of timer state.
    std::uint32_t m_timer_index = no_timer;
    Priority m_prio;  // last: a derived op's small members can share its padding
};

namespace detail {
template <class P>
concept CogenPromise = std::is_base_of_v<PromiseBase, P>;
}

/// An Operation whose co_await yields a T: adds finalize() and the awaiter.
/// The awaiter plumbing is here, once, for every operation.
template <class T>
class OperationOf : public Operation {
  public:
    using result_type = T;

    /// 3. The value of `co_await`. Called once, right before the coroutine resumes.
    virtual T finalize(SchedulerCore& sched) = 0;

    bool await_ready() const noexcept { return false; }
    template <detail::CogenPromise P>
    void await_suspend(std::coroutine_handle<P> awaiting) noexcept {
        awaiting.promise().await_op(*this);  // the scheduler takes it from here
    }
    T await_resume() {
        rethrow_if_failed();
        return finalize(scheduler());
    }

  protected:
    using Operation::Operation;
};

/// Operations whose co_await yields nothing need no finalize.
template <>
class OperationOf<void> : public Operation {
  public:
    using result_type = void;

    virtual void finalize(SchedulerCore&) {}

    bool await_ready() const noexcept { return false; }
    template <detail::CogenPromise P>
    void await_suspend(std::coroutine_handle<P> awaiting) noexcept {
        awaiting.promise().await_op(*this);
    }
    void await_resume() {
        rethrow_if_failed();
        finalize(scheduler());
    }

  protected:
    using Operation::Operation;
};

}  // namespace cogen

// Coro<T>: the return type of every coroutine function, and Coroutine: the
// scheduler's record of one running coroutine (cogen's CoroutineInstance).
// Lifecycle: docs/design.md ("Coroutines"). Tutorial 03.
#pragma once
#include <coroutine>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cogen/instrument.hpp"

namespace cogen {

class Scheduler;
class SchedulerCore;
class Coroutine;
class Operation;
template <class T>
class Coro;
namespace detail {
struct PromiseBase;
/// Look-ahead for the loops that know which coroutines come next (the scheduler's pick,
/// the proactor's completions): start fetching `c`'s record and the head of its frame.
inline void prefetch_record(const Coroutine* c) noexcept;
inline void prefetch_frame(const Coroutine* c) noexcept;

/// Told when a coroutine ends (returns, throws or is cancelled while running),
/// before its joiners wake. An event that ties itself to a coroutine's end
/// (a pipe's producer) attaches one with Coroutine::set_end_hook instead of
/// the scheduler knowing that event by name.
class EndHook {
  public:
    virtual ~EndHook() = default;
    /// Returns an operation whose coroutine runs now (it takes the CPU before
    /// any joiner), or nullptr.
    virtual Operation* on_end(Coroutine& ended) = 0;
};
}  // namespace detail

/// The states of cogen's CoroutineInstance, plus `killed` (cancelled).
enum class CoroState : std::uint8_t {
    not_started,  ///< added, body not entered yet
    running,      ///< its body is executing right now
    suspended,    ///< waiting on an operation (parked or queued to resume)
    finished,     ///< returned normally
    failed,       ///< an exception escaped it
    killed,       ///< cancelled, or destroyed with its scheduler
};
const char* to_string(CoroState state) noexcept;

/// The scheduler's record of one coroutine. Operations and instruments see
/// it; users hold a CoroRef<T> instead. It outlives the coroutine's frame and
/// keeps the final state, the result and the exception.
class Coroutine {
  public:
    Coroutine(const Coroutine&) = delete;
    Coroutine& operator=(const Coroutine&) = delete;
    virtual ~Coroutine();

    /// Unique within its scheduler, never reused.
    std::uint64_t id() const noexcept { return m_id; }
    /// The name given to add() / AddCoro, else "coro-<id>" (built on the
    /// first call: most coroutines are never asked).
    const std::string& name() const noexcept;
    CoroState state() const noexcept { return m_state; }
    /// The operation it is waiting on, or nullptr.
    const Operation* current_op() const noexcept { return m_op; }
    /// The coroutine that added or called it; 0 for one added from outside.
    std::uint64_t parent_id() const noexcept { return m_parent_id; }
    /// True until it finishes, fails or is killed.
    bool alive() const noexcept {
        return m_state != CoroState::finished && m_state != CoroState::failed &&
               m_state != CoroState::killed;
    }
    /// The exception that ended it (failed or killed), else nullptr.
    std::exception_ptr exception() const noexcept { return m_error; }
    /// The scheduler it runs on (valid while that scheduler lives).
    Scheduler* scheduler() const noexcept;
    /// Number of times it suspended on an operation.
    std::uint64_t suspensions() const noexcept { return m_suspensions; }

    /// The hook told when it ends (one per coroutine; nullptr: none). For
    /// events built on a coroutine's end (a pipe): see detail::EndHook.
    void set_end_hook(std::shared_ptr<detail::EndHook> hook) {
        extras().end_hook = std::move(hook);
    }
    detail::EndHook* end_hook() const noexcept {
        return m_extras ? m_extras->end_hook.get() : nullptr;
    }

  protected:
    Coroutine() = default;

  private:
    friend class Scheduler;
    friend class SchedulerCore;
    friend class Operation;  // its hooks get m_core
    friend struct detail::PromiseBase;
    friend void detail::prefetch_frame(const Coroutine* c) noexcept;

    /// What most coroutines never need, allocated on first use: keeps the
    /// record small (a server may hold 100 000 of them).
    struct Extras {
        std::string name;                 // given name, or the default once built
        std::vector<Operation*> joiners;  // Join ops waiting for it, in registration order
        std::shared_ptr<detail::EndHook> end_hook;  // told when it ends (a pipe's producer)
    };
    Extras& extras() const {
        if (!m_extras) m_extras = std::make_unique<Extras>();
        return *m_extras;
    }
    /// The Join ops waiting for it (none if nothing ever joined it).
    std::vector<Operation*> take_joiners() noexcept {
        return m_extras ? std::exchange(m_extras->joiners, {}) : std::vector<Operation*>{};
    }

    std::coroutine_handle<> m_handle;
    SchedulerCore* m_core = nullptr;           // its scheduler, as its operations see it
    Operation* m_op = nullptr;                 // the op it awaits (set by await_suspend)
    const char* m_last_op_name = nullptr;      // name of the last op awaited (a literal),
    std::exception_ptr m_error;                // what ended it
    Coroutine* m_caller = nullptr;             // the coroutine that Call-ed it
    mutable std::unique_ptr<Extras> m_extras;  // name, joiners: see Extras
    std::uint64_t m_id = 0;
    std::uint64_t m_parent_id = 0;
    std::uint64_t m_suspensions = 0;
    std::uint32_t m_live_index = 0;      // position in SchedulerObserver::coroutines()
    std::uint32_t m_last_op_type = 0;    // ... its string id, set at traced suspensions
    std::uint16_t m_last_op_length = 0;  // ... and its length (clamped): for error reports
    CoroState m_state = CoroState::not_started;
    bool m_started = false;           // had its "creates the frame" round (Q24)
    bool m_queued = false;            // sits in the active queue / urgent slot
    bool m_cancel_requested = false;  // cancel() while it was running
    // Cold flags, one byte: the record stays within its size (coro_record_tests).
    bool m_cancelled : 1 = false;   // cancel() was called: Cancelled ends it as killed
    bool m_reported : 1 = false;    // its error went to the error sink
    std::int8_t m_spawn_prio = -1;  // Priority it was added with: for a late coro.spawn
};

namespace detail {
// The record's hot fields span two cache lines; so do the frame's first fields (the
// resume pointer, the promise, the parameters: a connection's socket, say).
inline void prefetch_record(const Coroutine* c) noexcept {
    __builtin_prefetch(c);
    __builtin_prefetch(reinterpret_cast<const char*>(c) + 64);
}
// Reads the record (prefetch it first, a step earlier).
inline void prefetch_frame(const Coroutine* c) noexcept {
    const char* frame = static_cast<const char*>(c->m_handle.address());
    __builtin_prefetch(frame);
    __builtin_prefetch(frame + 64);
}
}  // namespace detail

// Single-threaded like the rest of the record: the lazy build is not a data
// race. (noexcept: running out of memory for a short name terminates.)
inline const std::string& Coroutine::name() const noexcept {
    Extras& x = extras();
    if (x.name.empty()) x.name = default_coro_name(m_id);
    return x.name;
}

/// The typed record: keeps the result after the frame is gone.
template <class T>
class CoroutineOf final : public Coroutine {
  public:
    bool has_result() const noexcept { return m_result.has_value(); }
    const T& result() const { return *m_result; }
    T take_result() { return std::move(*m_result); }

    /// Stores the result; called by the promise when the body co_returns.
    template <class U>
    void set_result(U&& v) {
        m_result.emplace(std::forward<U>(v));
    }

  private:
    std::optional<T> m_result;
};

template <>
class CoroutineOf<void> final : public Coroutine {};

namespace detail {

/// What every cogen coroutine's promise has: a link to its record. Operations
/// use it in await_suspend to tell the scheduler what the coroutine awaits.
struct PromiseBase {
    Coroutine* m_record = nullptr;

    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { m_record->m_error = std::current_exception(); }
    /// Called by an operation's await_suspend: the coroutine now waits on `op`.
    void await_op(Operation& op) noexcept { m_record->m_op = &op; }
};

template <class T>
struct Promise : PromiseBase {
    Coro<T> get_return_object() noexcept;
    template <class U = T>
    void return_value(U&& value) {
        static_cast<CoroutineOf<T>*>(m_record)->set_result(std::forward<U>(value));
    }
};

template <>
struct Promise<void> : PromiseBase {
    Coro<void> get_return_object() noexcept;
    void return_void() noexcept {}
};

}  // namespace detail

/// The return type of a coroutine function.
///
///     cogen::Coro<int> answer() { co_await cogen::Sleep{10ms}; co_return 42; }
///     auto ref = sched.add(answer(), {.name = "answer"});
///
/// A Coro starts suspended and runs only on a Scheduler (add, AddCoro, Call,
/// Iterate). A Coro that is never handed over destroys its frame unrun.
template <class T = void>
class [[nodiscard]] Coro {
  public:
    using promise_type = detail::Promise<T>;
    using value_type = T;

    Coro(Coro&& other) noexcept : m_handle(std::exchange(other.m_handle, {})) {}
    Coro& operator=(Coro&& other) noexcept {
        if (this != &other) {
            if (m_handle) m_handle.destroy();
            m_handle = std::exchange(other.m_handle, {});
        }
        return *this;
    }
    Coro(const Coro&) = delete;
    Coro& operator=(const Coro&) = delete;
    ~Coro() {
        if (m_handle) m_handle.destroy();
    }

    explicit operator bool() const noexcept { return static_cast<bool>(m_handle); }

    /// Gives up ownership of the frame (the scheduler takes it).
    std::coroutine_handle<promise_type> release() noexcept { return std::exchange(m_handle, {}); }

  private:
    friend struct detail::Promise<T>;
    explicit Coro(std::coroutine_handle<promise_type> h) noexcept : m_handle(h) {}
    std::coroutine_handle<promise_type> m_handle;
};

namespace detail {
template <class T>
Coro<T> Promise<T>::get_return_object() noexcept {
    return Coro<T>{std::coroutine_handle<Promise<T>>::from_promise(*this)};
}
inline Coro<void> Promise<void>::get_return_object() noexcept {
    return Coro<void>{std::coroutine_handle<Promise<void>>::from_promise(*this)};
}
}  // namespace detail

}  // namespace cogen

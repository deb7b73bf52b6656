// Call: run a sub-coroutine now and receive its result. Tutorial 05.
#pragma once
#include <memory>
#include <string>

#include "cogen/coro.hpp"
#include "cogen/operation.hpp"
#include "cogen/scheduler_core.hpp"

namespace cogen {

/// Call a sub-coroutine: the caller waits and co_await yields its result
/// (or rethrows its exception, with the original exception object).
///
///     int n = co_await Call{count_lines(sock)};
///     co_await Call{room.broadcast(line), "broadcast"};   // the callee's name in traces
///
/// Like cogen, the callee first yields once (it runs at once when nothing
/// else is runnable), and its end resumes the caller immediately. Any depth
/// of nesting runs on the scheduler's loop, never the caller's stack.
template <class T>
class [[nodiscard]] Call final : public OperationOf<T> {
  public:
    [[nodiscard]] explicit Call(Coro<T> coro, std::string name = {})
        : m_coro(std::move(coro)), m_name(std::move(name)) {}

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine&) override {  // 1. start the callee
        m_callee = sched.start_call(std::move(m_coro), *this, std::move(m_name));
        return Disposition::parked;
    }
    // 2. run(): not an I/O operation
    T finalize(SchedulerCore&) override {  // 3. the callee's result
        if constexpr (!std::is_void_v<T>) return m_callee->take_result();
    }
    // 4. cleanup(): nothing (a Call has no timeout)

    std::string_view name() const override { return "Call"; }
    Outcome waits_on() const noexcept override { return Outcome::call; }
    // No wait_label(): a "coro N" per call would be a new string in the trace's table at
    // every call (one per request in a server). Readers show the target as "coro N".
    std::uint64_t wait_target() const noexcept override { return m_callee ? m_callee->id() : 0; }

  private:
    Coro<T> m_coro;
    std::string m_name;  // the callee's, if given
    std::shared_ptr<CoroutineOf<T>> m_callee;
};

}  // namespace cogen

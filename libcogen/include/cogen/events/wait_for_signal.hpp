// WaitForSignal: wait until another coroutine emits a named Signal.
// Tutorial 05.
#pragma once
#include <string>

#include "cogen/timed_operation.hpp"
#include "cogen/value.hpp"

namespace cogen {

/// Wait until another coroutine signals `name`; co_await yields its value.
///
///     Value v = co_await WaitForSignal{"ready", 5s};
///
/// Throws OperationTimeout if the timeout passes first (and leaves the
/// waiter list). If a Signal is parked on `name` waiting for recipients and
/// this waiter completes its count, that signal fires now.
class [[nodiscard]] WaitForSignal final : public TimedOperation<Value> {
  public:
    [[nodiscard]] explicit WaitForSignal(std::string name, Timeout timeout = {},
                                         Priority prio = Priority::DEFAULT)
        : TimedOperation<Value>(timeout, prio), m_name(std::move(name)) {}

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. join the wait list
    // 2. run(): not an I/O operation
    Value finalize(SchedulerCore&) override {
        return std::move(m_value);
    }                                                              // 3. the signalled value
    void cleanup(SchedulerCore& sched, Coroutine& coro) override;  // 4. leave the wait list

    std::string_view name() const override { return "WaitForSignal"; }
    Outcome waits_on() const noexcept override { return Outcome::signal; }
    std::string wait_label() const override { return m_name; }

    const std::string& signal_name() const noexcept { return m_name; }
    /// Set by the Signal that wakes this waiter.
    void deliver(Value value) { m_value = std::move(value); }

  private:
    std::string m_name;
    Value m_value;
};

}  // namespace cogen

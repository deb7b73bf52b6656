// Signal: wake every coroutine waiting for a named signal. Tutorial 05.
#pragma once
#include <cstddef>
#include <string>

#include "cogen/operation.hpp"
#include "cogen/value.hpp"

namespace cogen {

/// Emit signal `name` with `value`; co_await yields how many waiters woke.
///
///     std::size_t woken = co_await Signal{"ready", Value{42}};
///
/// Not latched: with no waiter and recipients = 0 the signal is lost. With
/// `recipients` = n > 0 the signaler waits until n coroutines wait on
/// `name`, then fires (parked signals of one name form a FIFO). Order
/// (cogen's): woken waiters go to the front (reversed) under the OP bit,
/// else the back; the signaler goes to the front under the CORO bit, else
/// the back — never "now".
class [[nodiscard]] Signal final : public OperationOf<std::size_t> {
  public:
    [[nodiscard]] explicit Signal(std::string name, Value value = {}, std::size_t recipients = 0,
                                  Priority prio = Priority::DEFAULT)
        : OperationOf<std::size_t>(prio),
          m_name(std::move(name)),
          m_value(std::move(value)),
          m_recipients(recipients) {}

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. wake or park
    // 2. run(): not an I/O operation
    std::size_t finalize(SchedulerCore&) override { return m_woken; }  // 3. waiters woken
    void cleanup(SchedulerCore& sched, Coroutine& coro) override;      // 4. leave the parked FIFO

    std::string_view name() const override { return "Signal"; }
    Outcome waits_on() const noexcept override { return Outcome::signal; }
    std::string wait_label() const override { return m_name; }

    const std::string& signal_name() const noexcept { return m_name; }
    const Value& value() const noexcept { return m_value; }
    std::size_t recipients() const noexcept { return m_recipients; }

    /// Wake the waiters now (SignalTable: called by a WaitForSignal that
    /// completes the recipient count of this parked signal).
    void fire(SchedulerCore& sched);

  private:
    std::string m_name;
    Value m_value;
    std::size_t m_recipients;
    std::size_t m_woken = 0;
};

}  // namespace cogen

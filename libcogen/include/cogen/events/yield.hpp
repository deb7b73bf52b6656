// Yield: a cooperative yield (cogen's bare `yield`). Tutorial 03.
#pragma once
#include "cogen/operation.hpp"

namespace cogen {

/// Give the other runnable coroutines a turn.
///
///     co_await cogen::Yield{};
///
/// Goes to the back of the active queue when anything else is runnable,
/// otherwise continues at once.
class [[nodiscard]] Yield final : public OperationOf<void> {
  public:
    [[nodiscard]] Yield() = default;

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. back of the queue
    // 2. run(): not an I/O operation; 3. finalize(): nothing; 4. cleanup(): nothing

    std::string_view name() const override { return "Yield"; }
    Outcome waits_on() const noexcept override { return Outcome::yield; }
};

}  // namespace cogen

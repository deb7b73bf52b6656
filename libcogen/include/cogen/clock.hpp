// Clock: where the scheduler reads the time. SteadyClock for programs,
// ManualClock for tests and tutorials whose output must not depend on timing.
#pragma once
#include <chrono>

namespace cogen {

/// The scheduler's time source. Times are nanoseconds from an arbitrary epoch.
class Clock {
  public:
    virtual ~Clock() = default;
    virtual std::chrono::nanoseconds now() const = 0;
    /// True for clocks that only move when told to (ManualClock).
    virtual bool manual() const noexcept { return false; }
    /// Manual clocks: move to `t` instead of sleeping (the scheduler calls this
    /// when it would wait for the next deadline: only timers are pending, or
    /// fds are registered but a poll without waiting found none ready). Real
    /// clocks ignore it.
    virtual void advance_to(std::chrono::nanoseconds) {}
};

/// std::chrono::steady_clock. The default.
class SteadyClock final : public Clock {
  public:
    std::chrono::nanoseconds now() const override {
        return std::chrono::steady_clock::now().time_since_epoch();
    }
};

/// A clock that moves only by advance() or when the scheduler would sleep:
/// a program with only timers then runs instantly and deterministically.
///
///     cogen::ManualClock clock;
///     cogen::Scheduler sched{{.clock = &clock}};
class ManualClock final : public Clock {
  public:
    std::chrono::nanoseconds now() const override { return m_now; }
    bool manual() const noexcept override { return true; }
    void advance_to(std::chrono::nanoseconds t) override {
        if (t > m_now) m_now = t;
    }
    void advance(std::chrono::nanoseconds d) { m_now += d; }

  private:
    std::chrono::nanoseconds m_now{0};
};

}  // namespace cogen

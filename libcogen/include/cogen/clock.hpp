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

/// A clock that runs only while told to: steady time while running, frozen while held.
/// The in-process visualizer installs one (Scheduler::set_clock) and runs it only during a
/// step, so a window paused for a minute, or the wait between two single steps, is not
/// program time: timeouts, lateness, CPU slices and stall ages count only what the program
/// itself ran. It starts held, at `start` (pass the replaced clock's now(), so deadlines
/// already armed stay where they were). Not thread-safe: run()/hold()/now() from the
/// scheduler's thread.
class PausableClock final : public Clock {
  public:
    explicit PausableClock(std::chrono::nanoseconds start) : m_base(start) {}
    std::chrono::nanoseconds now() const override {
        return m_running ? m_base + (steady() - m_since) : m_base;
    }
    /// Time moves from here on.
    void run() {
        if (m_running) return;
        m_since = steady();
        m_running = true;
    }
    /// Time stops here.
    void hold() {
        if (!m_running) return;
        m_base = now();
        m_running = false;
    }
    bool running() const noexcept { return m_running; }

  private:
    static std::chrono::nanoseconds steady() {
        return std::chrono::steady_clock::now().time_since_epoch();
    }
    std::chrono::nanoseconds m_base;
    std::chrono::nanoseconds m_since{0};
    bool m_running = false;
};

}  // namespace cogen

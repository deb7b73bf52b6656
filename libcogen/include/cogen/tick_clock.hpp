// TickClock: the cheap timestamp of trace events. A calibrated cycle counter (rdtsc on
// x86-64 when the TSC is invariant), else CLOCK_MONOTONIC in ns. The scheduler stamps events
// in ticks and the tracer converts them to ns when it drains (docs/tracing.md, "What an event
// costs"); the scheduler's own time (deadlines, timeouts) stays on its Clock.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif
#include <time.h>

namespace cogen {

/// A monotonic tick counter and its conversion to nanoseconds:
///
///     const TickClock& clock = TickClock::instance();
///     std::uint64_t t0 = clock.now();  ...  std::uint64_t ns = clock.to_ns(clock.now() - t0);
///
/// now() is a few instructions (one rdtsc); to_ns() converts a tick span with the current
/// calibration, which is refined against std::chrono::steady_clock as the spans it is asked
/// about grow (the error then stays around the clock's read jitter: well under 1 %).
/// Thread-safe: now() and to_ns() may be called from any thread.
class TickClock {
  public:
    enum class Source : std::uint8_t {
        tsc,        ///< the x86-64 time-stamp counter (invariant TSC only)
        monotonic,  ///< clock_gettime(CLOCK_MONOTONIC): ticks are nanoseconds
    };

    /// The process's clock: the TSC when this CPU has an invariant one and COGEN_TICK_CLOCK
    /// is not "monotonic", else the monotonic clock.
    static const TickClock& instance();

    /// `TickClock c{TickClock::Source::monotonic};` a clock of the given source (tests). A
    /// tsc clock on a machine without one falls back to monotonic (source() says which).
    explicit TickClock(Source source);

    Source source() const noexcept { return m_source; }

    /// The current tick count: monotonic on one thread.
    std::uint64_t now() const noexcept {
#if defined(__x86_64__)
        if (m_source == Source::tsc) return __rdtsc();
#endif
        return monotonic_ns();
    }

    /// Nanoseconds in a span of `ticks` (from some earlier now() of this clock).
    std::uint64_t to_ns(std::uint64_t ticks) const noexcept;

    /// Nanoseconds per tick, as currently calibrated (1.0 for the monotonic source).
    double ns_per_tick() const noexcept;

    /// True when this CPU has an invariant TSC (constant rate, runs in deep sleep states).
    static bool invariant_tsc() noexcept;

  private:
    static std::uint64_t monotonic_ns() noexcept {
        timespec ts{};
        ::clock_gettime(CLOCK_MONOTONIC, &ts);
        return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
               static_cast<std::uint64_t>(ts.tv_nsec);
    }
    void refine(std::uint64_t span) const noexcept;

    Source m_source;
    // Calibration: an anchor (ticks, steady ns) taken at construction and a scale
    // (ns per tick, 32.32 fixed point) measured over [anchor, m_until], refined when a
    // conversion is asked about a span longer than the one measured.
    std::uint64_t m_anchor_ticks = 0;
    std::int64_t m_anchor_ns = 0;
    mutable std::atomic<std::uint64_t> m_scale{std::uint64_t{1} << 32};
    mutable std::atomic<std::uint64_t> m_until{0};  // ticks since the anchor
    mutable std::mutex m_refine;
};

}  // namespace cogen

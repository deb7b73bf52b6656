#include "cogen/tick_clock.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using cogen::TickClock;

namespace {

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// A tick reading bracketed by two steady readings... the other way round: a steady reading
// bracketed by two tick readings, so that preemption between the reads widens the bracket
// instead of skewing the comparison.
struct Bracket {
    std::uint64_t before, after;
    std::int64_t ns;
};
Bracket read(const TickClock& clock) {
    Bracket b{};
    b.before = clock.now();
    b.ns = steady_ns();
    b.after = clock.now();
    return b;
}

void check_against_steady(const TickClock& clock) {
    const Bracket start = read(clock);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    const Bracket end = read(clock);
    const double steady = static_cast<double>(end.ns - start.ns);
    const double shortest = static_cast<double>(clock.to_ns(end.before - start.after));
    const double longest = static_cast<double>(clock.to_ns(end.after - start.before));
    CHECK(shortest <= steady * 1.01);
    CHECK(longest >= steady * 0.99);
}

void check_monotonic(const TickClock& clock) {
    std::uint64_t last = clock.now();
    bool monotonic = true;
    for (int i = 0; i < 200000; ++i) {
        const std::uint64_t t = clock.now();
        monotonic = monotonic && t >= last;
        last = t;
    }
    CHECK(monotonic);
    // Conversions of growing spans grow too, across the calibration's refinements.
    const std::uint64_t t0 = clock.now();
    std::uint64_t last_ns = 0;
    bool converts_monotonic = true;
    for (int i = 0; i < 2000; ++i) {
        const std::uint64_t ns = clock.to_ns(clock.now() - t0);
        converts_monotonic = converts_monotonic && ns + 1000 >= last_ns;  // refinement jitter
        last_ns = std::max(last_ns, ns);
    }
    CHECK(converts_monotonic);
}

}  // namespace

TEST_CASE("The tick clock of the process is monotonic and converts to ns within 1 %",
          "[tick_clock]") {
    const TickClock& clock = TickClock::instance();
    INFO("source: " << (clock.source() == TickClock::Source::tsc ? "tsc" : "monotonic"));
    check_monotonic(clock);
    check_against_steady(clock);
    CHECK(clock.ns_per_tick() > 0.0);
}

TEST_CASE("The monotonic fallback counts nanoseconds", "[tick_clock]") {
    const TickClock clock{TickClock::Source::monotonic};
    CHECK(clock.source() == TickClock::Source::monotonic);
    CHECK(clock.ns_per_tick() == 1.0);
    CHECK(clock.to_ns(12345) == 12345);
    check_monotonic(clock);
    check_against_steady(clock);
}

TEST_CASE("A TSC clock is used only where the TSC is invariant, else it falls back",
          "[tick_clock]") {
    const TickClock clock{TickClock::Source::tsc};
    CHECK((clock.source() == TickClock::Source::tsc) == TickClock::invariant_tsc());
    check_monotonic(clock);
    check_against_steady(clock);
}

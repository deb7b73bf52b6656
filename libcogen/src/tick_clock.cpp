// TickClock: TSC detection and calibration against steady_clock (see tick_clock.hpp).
#include "cogen/tick_clock.hpp"

#include <chrono>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace cogen {
namespace {

__extension__ using u128 = unsigned __int128;  // for 64 x 32.32 products without overflow

std::int64_t steady_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The calibration needs this much steady time between its two readings before the
// first scale is trusted; later ones use the whole span since the anchor.
constexpr std::int64_t min_calibration_ns = 200'000;

// A tick count and a steady reading taken at (nearly) the same instant: of three tries, the
// one whose two tick reads bracket the steady read most tightly, the ticks in its middle.
struct Paired {
    std::uint64_t ticks = 0;
    std::int64_t ns = 0;
};

Paired paired_reading(const TickClock& clock) noexcept {
    Paired out;
    std::uint64_t best = ~std::uint64_t{0};
    for (int i = 0; i < 3; ++i) {
        const std::uint64_t before = clock.now();
        const std::int64_t ns = steady_ns();
        const std::uint64_t after = clock.now();
        if (after - before < best) {
            best = after - before;
            out = {before + (after - before) / 2, ns};
        }
    }
    return out;
}

}  // namespace

bool TickClock::invariant_tsc() noexcept {
#if defined(__x86_64__)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(0x80000000u, &eax, &ebx, &ecx, &edx) == 0 || eax < 0x80000007u) return false;
    if (__get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx) == 0) return false;
    return (edx & (1u << 8)) != 0;
#else
    return false;
#endif
}

const TickClock& TickClock::instance() {
    static const TickClock clock{[] {
        const char* env = std::getenv("COGEN_TICK_CLOCK");
        if (env != nullptr && std::strcmp(env, "monotonic") == 0) return Source::monotonic;
        return Source::tsc;
    }()};
    return clock;
}

TickClock::TickClock(Source source)
    : m_source(source == Source::tsc && invariant_tsc() ? Source::tsc : Source::monotonic) {
    if (m_source == Source::monotonic) {
        m_until.store(~std::uint64_t{0}, std::memory_order_relaxed);  // exact: never refined
        return;
    }
    const Paired anchor = paired_reading(*this);
    m_anchor_ticks = anchor.ticks;
    m_anchor_ns = anchor.ns;
}

void TickClock::refine(std::uint64_t span) const noexcept {
    std::lock_guard lock{m_refine};
    if (span <= m_until.load(std::memory_order_relaxed)) return;  // another thread did it
    Paired end;
    do {
        end = paired_reading(*this);
    } while (end.ns - m_anchor_ns < min_calibration_ns || end.ticks <= m_anchor_ticks);
    const std::uint64_t ticks = end.ticks;
    const std::int64_t ns = end.ns;
    const auto elapsed_ticks = static_cast<u128>(ticks - m_anchor_ticks);
    const auto elapsed_ns = static_cast<u128>(ns - m_anchor_ns);
    m_scale.store(static_cast<std::uint64_t>((elapsed_ns << 32) / elapsed_ticks),
                  std::memory_order_relaxed);
    // Spans up to here are measured; a longer one asks again.
    const std::uint64_t measured = ticks - m_anchor_ticks;
    m_until.store(measured > span ? measured : span, std::memory_order_release);
}

std::uint64_t TickClock::to_ns(std::uint64_t ticks) const noexcept {
    if (m_source == Source::monotonic) return ticks;
    if (ticks > m_until.load(std::memory_order_acquire)) refine(ticks);
    const auto scale = m_scale.load(std::memory_order_relaxed);
    return static_cast<std::uint64_t>((static_cast<u128>(ticks) * scale) >> 32);
}

double TickClock::ns_per_tick() const noexcept {
    if (m_source == Source::monotonic) return 1.0;
    if (m_until.load(std::memory_order_acquire) == 0) refine(1);
    return static_cast<double>(m_scale.load(std::memory_order_relaxed)) / 4294967296.0;
}

}  // namespace cogen

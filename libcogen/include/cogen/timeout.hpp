// Timeout: how long an operation may wait. Strong (a deadline) or weak (an
// inactivity limit re-armed by progress). Tutorial 08, docs/timeouts.md.
#pragma once
#include <chrono>
#include <cstdint>

namespace cogen {

/// A per-operation timeout.
///
///     co_await q.get(Timeout{500ms});            // strong: fails 500 ms after the await
///     co_await sock.sendall(data, {2s, true});    // weak: 2 s without progress
///     co_await WaitForSignal{"x", Timeout::never()};  // ignores default_timeout
///
/// A default-constructed Timeout (or a zero duration) means "no timeout of my
/// own": Scheduler::Options::default_timeout applies. A negative duration is
/// already expired: the op times out at the next timeout check. A relative
/// timeout starts when the operation is awaited, not when it is built.
struct Timeout {
    enum class Mode : std::uint8_t { unset, relative, absolute, never };

    std::chrono::nanoseconds after{0};  ///< relative length (Mode::relative)
    bool weak = false;                  ///< re-armed while the op makes progress
    Mode mode = Mode::unset;
    std::chrono::nanoseconds deadline{0};  ///< scheduler-clock time (Mode::absolute)

    constexpr Timeout() = default;
    template <class Rep, class Period>
    constexpr Timeout(std::chrono::duration<Rep, Period> d, bool weak_ = false)  // NOLINT: implicit
        : after(std::chrono::duration_cast<std::chrono::nanoseconds>(d)),
          weak(weak_),
          mode(after.count() == 0 ? Mode::unset : Mode::relative) {}

    /// Never time out, even when the scheduler has a default_timeout
    /// (cogen's timeout=-1).
    static constexpr Timeout never() {
        Timeout t;
        t.mode = Mode::never;
        return t;
    }
    /// Expire at a point of the scheduler's clock (Clock::now() units).
    static constexpr Timeout at(std::chrono::nanoseconds clock_time) {
        Timeout t;
        t.mode = Mode::absolute;
        t.deadline = clock_time;
        return t;
    }

    constexpr bool is_set() const noexcept { return mode != Mode::unset; }
    constexpr bool is_never() const noexcept { return mode == Mode::never; }
};

}  // namespace cogen

// Priority: cogen's per-operation priority, two bits deciding who runs first.
// Rules per operation: docs/priorities.md. Tutorial 05.
#pragma once
#include <cstdint>

namespace cogen {

/// cogen's priority constants, with cogen's numeric values.
///
///     co_await Signal{"go", Value{}, 0, Priority::OP};   // wake waiters first
///
/// CORO favours the coroutine that issued the operation; OP favours the
/// coroutine(s) the operation wakes (or its own completion). FIRST is both,
/// LAST neither. DEFAULT is replaced by Scheduler::Options::default_priority.
enum class Priority : std::int8_t {  // one byte: it shares an op's padding
    DEFAULT = -1,
    LAST = 0,
    CORO = 1,
    OP = 2,
    FIRST = 3,
};

constexpr bool has_coro_bit(Priority p) noexcept {
    return static_cast<int>(p) > 0 && (static_cast<int>(p) & 1);
}
constexpr bool has_op_bit(Priority p) noexcept {
    return static_cast<int>(p) > 0 && (static_cast<int>(p) & 2);
}
constexpr const char* to_string(Priority p) noexcept {
    switch (p) {
        case Priority::DEFAULT:
            return "DEFAULT";
        case Priority::LAST:
            return "LAST";
        case Priority::CORO:
            return "CORO";
        case Priority::OP:
            return "OP";
        case Priority::FIRST:
            return "FIRST";
    }
    return "?";
}

}  // namespace cogen

// Event text: how the model words things for people — one line per event for
// the event log, durations, and coroutine references. Used by why_woken and the
// stall findings, and by the GUI's event log.
#pragma once
#include <cstdint>
#include <string>

#include "cogen/instrument.hpp"

namespace cogen::viz {

class TraceModel;
struct Place;

/// A duration for display, three significant digits.
///
///     format_duration(1'250'000) == "1.25 ms";  format_duration(830) == "830 ns"
std::string format_duration(std::uint64_t ns);

/// "'worker' (coro 3)": a coroutine as sentences name it.
std::string coro_ref(const TraceModel& model, std::uint64_t coro);

/// What a place waits on, in a few words: "fd 5 read", "signal 'go'", "worker (7)",
/// "queue 'jobs'", "timeout 100 ms" ... (empty for places that wait on nothing).
std::string wait_target(const TraceModel& model, const Place& place);

/// "Sleep #17", or "" when the coroutine awaits nothing (op 0).
std::string op_text(const TraceModel& model, std::uint64_t op, std::uint32_t op_type);

/// One readable line for the event log: the kind, the coroutine, what happened
/// (no seq, no time).
///
///     describe_event(model, e)
///     // "op.process 'worker' (coro 3): Sleep op 17 -> wait:timer, timeout 100 ms"
std::string describe_event(const TraceModel& model, const TraceEvent& event);

}  // namespace cogen::viz

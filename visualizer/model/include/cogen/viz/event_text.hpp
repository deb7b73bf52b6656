// Event text: how the model words things for people — coroutine references, wait targets,
// and the event log's line. The words of an event and of a duration are the tracer's
// (cogen/trace/event_text.hpp), so the GUI, `cogen-trace text` and `why` agree.
#pragma once
#include <cstdint>
#include <string>

#include "cogen/instrument.hpp"
#include "cogen/trace/event_text.hpp"

namespace cogen::viz {

class TraceModel;
struct Place;

/// The one duration format (trace::format_duration): "1.25 ms", "830 ns".
using trace::format_duration;

/// "'worker' (coro 3)": a coroutine as sentences name it.
std::string coro_ref(const TraceModel& model, std::uint64_t coro);

/// What a place waits on, in a few words: "fd 5 read", "signal 'go'", "worker (7)",
/// "queue 'jobs'", "timeout 100 ms" ... (empty for places that wait on nothing).
std::string wait_target(const TraceModel& model, const Place& place);

/// "Sleep #17", or "" when the coroutine awaits nothing (op 0).
std::string op_text(const TraceModel& model, std::uint64_t op, std::uint32_t op_type);

/// One readable line for the event log: trace::describe_event's (the text trace's line
/// without the seq), with coroutine names from the model and measured times shown.
///
///     describe_event(model, e)
///     // op.process           coro 3 "worker"  Sleep#17  -> wait:timer (timeout 100 ms)
std::string describe_event(const TraceModel& model, const TraceEvent& event);

/// describe_event without the kind: what the event log's text column shows (the kind has
/// its own column there).
///
///     describe_details(model, e)  // coro 3 "worker"  Sleep#17  -> wait:timer (timeout 100 ms)
std::string describe_details(const TraceModel& model, const TraceEvent& event);

}  // namespace cogen::viz

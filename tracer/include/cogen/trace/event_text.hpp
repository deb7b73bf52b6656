// Event text: the one English wording of a trace event, of a duration and of an outcome code.
// `cogen-trace text` (TextRenderer), the visualizer's event log and `cogen-trace why` all say
// things through these functions, so a trace reads the same everywhere. Events are decoded
// through cogen::EventView (trace_event_view.hpp), never field by field.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "cogen/instrument.hpp"

namespace cogen::trace {

/// A duration for people: at most three significant digits (no trailing zeros) and a unit.
///
///     format_duration(1'250'000) == "1.25 ms";  format_duration(1'500'000) == "1.5 ms"
///     format_duration(830) == "830 ns";         format_duration(-1'000) == "-1 us"
std::string format_duration(std::int64_t ns);

/// The spelling of an outcome code (op.process.a, op.ready.a): "ready", "wait:timer", ...;
/// a code outside the enum (a trace may come from anywhere) reads "outcome 42".
std::string outcome_name(std::int64_t code);

/// How the reader of an event names what the event refers to by id. The text trace renumbers
/// and learns names as it streams; the visualizer looks them up in its model.
class EventNames {
  public:
    virtual ~EventNames() = default;
    /// An interned string ("" for 0 or an unknown id).
    virtual std::string_view text(std::uint32_t id) const = 0;
    /// A coroutine's name ("" when unnamed or unknown).
    virtual std::string_view coro_name(std::uint64_t coro) const = 0;
    /// The number shown for a coroutine, an op, an event seq (identity unless renumbered).
    virtual std::uint64_t coro_number(std::uint64_t coro) { return coro; }
    virtual std::uint64_t op_number(std::uint64_t op) { return op; }
    virtual std::uint64_t seq_number(std::uint64_t seq) { return seq; }
};

struct EventTextOptions {
    /// Also say what was measured (how long a poll waited, how late a timer fired). The text
    /// trace leaves it out to stay time-free; the visualizer's log shows it.
    bool measured = false;
};

/// `coro 3 "worker"`: a coroutine as the event text names it.
std::string coro_mention(EventNames& names, std::uint64_t coro);

/// What happened, in words, without seq or kind:
///
///     coro 3 "worker"  Sleep#7  -> wait:timer (timeout 100 ms)
std::string describe_details(const TraceEvent& event, EventNames& names,
                             EventTextOptions options = {});

/// The kind, padded to a column, then describe_details: one event-log line without seq.
///
///     op.process          coro 3 "worker"  Sleep#7  -> wait:timer (timeout 100 ms)
std::string describe_event(const TraceEvent& event, EventNames& names,
                           EventTextOptions options = {});

}  // namespace cogen::trace

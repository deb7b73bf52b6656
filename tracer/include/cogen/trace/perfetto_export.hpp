// export_perfetto: a trace as Chrome trace-event JSON for ui.perfetto.dev, with one track per
// coroutine (running / waiting slices), scheduler, proactor and timer tracks, counters, and
// flow arrows along each operation (yield -> process -> ... -> finalize -> resume) and from
// each cause to the op it made ready. The rules it keeps: docs/trace-format.md, "Perfetto".
#pragma once
#include <ostream>

#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// Track ids: `tid = coroutine_tid_base + coro` for coroutines, fixed ones for the rest.
inline constexpr int perfetto_pid = 1;
inline constexpr int scheduler_tid = 1;
inline constexpr int proactor_tid = 2;
inline constexpr int timers_tid = 3;
inline constexpr int coroutine_tid_base = 1000;

/// `export_perfetto(data, file);` writes {"traceEvents":[...]}.
///
/// Guarantees (checked by the tests): slices on one track nest (never partly overlap, even
/// after rounding to whole ns); every flow event has a direction; flow ids are integers.
/// Events that share a timestamp are spread 40 ns apart so that this holds, so durations
/// under that are not to scale.
void export_perfetto(const TraceData& data, std::ostream& out);

}  // namespace cogen::trace

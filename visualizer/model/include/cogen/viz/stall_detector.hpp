// The stall detector: derives stall findings from a replayed state and a
// "now". A stalled coroutine emits no events, so the findings depend on the
// current time as well as on the state. Kinds and thresholds: docs/stalls.md.
#pragma once
#include <cstdint>
#include <vector>

#include "cogen/viz/model_state.hpp"
#include "cogen/viz/stall_finding.hpp"

namespace cogen::viz {

class StallSource;
class TraceModel;

/// The findings of `state` as `source` sees the trace (strings, names, the events a
/// finding cites; stall_source.hpp), at scheduler time `now_ns`. The TraceModel overload
/// below reads a model through ModelStallSource; StallTracker is a source of its own.
std::vector<Finding> find_stalls(const StallSource& source, const ModelState& state,
                                 std::uint64_t now_ns, const StallOptions& options = {});

/// The findings of `state` (a state of `model`) at scheduler time `now_ns`:
/// the latest trace.heartbeat, the wall clock in live mode, or the state's own
/// time (a `now_ns` below state.t_ns counts as state.t_ns).
///
///     auto findings = find_stalls(model, model.latest(), model.now_ns());
///
/// Ordered by kind (FindingKind order), then coroutine id, then since_seq.
std::vector<Finding> find_stalls(const TraceModel& model, const ModelState& state,
                                 std::uint64_t now_ns, const StallOptions& options = {});

/// The findings of a recorded trace, as `cogen-trace stalls` reports them:
/// evaluated on the state at the last sched.run.end (before the scheduler's
/// destruction kills what was left), or at the last event when run() never
/// returned, with now = model.now_ns() (the last event, or a later heartbeat).
std::vector<Finding> find_stalls_at_end(const TraceModel& model, const StallOptions& options = {});

}  // namespace cogen::viz

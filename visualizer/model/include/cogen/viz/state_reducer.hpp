// The state reducer: applies one trace event to a ModelState. This is the only
// code that knows what each event kind means for the state; TraceModel calls
// it while ingesting and again while seeking from a checkpoint.
#pragma once
#include <cstdint>
#include <optional>

#include "cogen/instrument.hpp"
#include "cogen/trace/trace_data.hpp"
#include "cogen/viz/model_state.hpp"

namespace cogen::viz {

/// What one event did to the place of the coroutine it names.
struct PlaceChange {
    std::uint64_t coro = 0;
    Place from{};
    Place to{};
    bool first_seen = false;  ///< the event introduced the coroutine (spawn or first mention)
};

/// Applies `event` to `state`; returns the change of `event.coro`'s place, if
/// its place (kind or details) changed or the coroutine is new.
///
///     ModelState s;
///     for (const TraceEvent& e : data.events) apply_event(s, e);
///
/// Events are read through cogen::EventView: no text is parsed. Events must come in
/// seq order; the reducer tolerates missing events (a trace joined late, drops)
/// by creating coroutines on first mention and ignoring what it cannot place.
/// A trace.heartbeat with seq 0 (a live feed's) leaves the state untouched.
std::optional<PlaceChange> apply_event(ModelState& state, const TraceEvent& event);

/// What one event did to its coroutine's place, in brief: the kinds (equal when only the
/// place's details changed), and whether the coroutine is new.
struct KindChange {
    PlaceKind from = PlaceKind::active;
    PlaceKind to = PlaceKind::active;
    bool first_seen = false;
};

/// apply_event() telling only the kinds of the change (TraceModel's lanes and transitions:
/// no copy of the two places per event).
std::optional<KindChange> apply_event_brief(ModelState& state, const TraceEvent& event);

/// apply_event() without working out the PlaceChange, for who only needs the state
/// (StallTracker): the same state, a little faster.
void reduce_event(ModelState& state, const TraceEvent& event);

}  // namespace cogen::viz

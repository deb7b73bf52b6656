// Playback: how the replay cursor moves on its own — at a number of events per second (one
// transition at a time, for learning) or at a multiple of the recorded time — and how long a
// token may take to glide along an edge at that pace.
#pragma once
#include <cstdint>

#include "cogen/viz/trace_model.hpp"

namespace cogen::viz {

struct Playback {
    enum class Pace { events_per_second, trace_time };

    bool playing = false;
    Pace pace = Pace::events_per_second;
    double events_per_second = 4;  ///< Pace::events_per_second
    double time_scale = 1;         ///< Pace::trace_time: trace seconds per wall second

    /// The cursor after `dt_s` seconds of wall time from `cursor`. Stops playing at the end.
    std::uint64_t advance(const TraceModel& model, std::uint64_t cursor, double dt_s);
    /// Seconds a token takes along an edge at this pace (shorter than the time between two
    /// events, so each move finishes before the next one starts).
    double motion_seconds() const noexcept;

  private:
    double m_carry_events = 0;
    double m_clock_ns = 0;          // trace time of the playhead (trace_time pace)
    std::uint64_t m_clock_seq = 0;  // the cursor m_clock_ns belongs to
};

}  // namespace cogen::viz

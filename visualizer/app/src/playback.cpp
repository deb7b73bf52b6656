// Playback: moving the replay cursor by itself (see playback.hpp).
#include "playback.hpp"

#include <algorithm>
#include <cmath>

namespace cogen::viz {

std::uint64_t Playback::advance(const TraceModel& model, std::uint64_t cursor, double dt_s) {
    if (!playing || model.empty()) return cursor;
    const auto events = model.events();
    const std::size_t at = std::max<std::size_t>(model.count_upto(cursor), 1) - 1;
    std::size_t next = at;
    if (pace == Pace::events_per_second) {
        m_carry_events += std::max(dt_s, 0.0) * events_per_second;
        const double whole = std::floor(m_carry_events);
        m_carry_events -= whole;
        next = std::min(at + static_cast<std::size_t>(whole), events.size() - 1);
    } else {
        if (m_clock_seq != cursor) m_clock_ns = static_cast<double>(events[at].t_ns);
        m_clock_ns += std::max(dt_s, 0.0) * time_scale * 1e9;
        auto it =
            std::upper_bound(events.begin() + static_cast<std::ptrdiff_t>(at), events.end(),
                             m_clock_ns, [](double t, const TraceEvent& e) { return t < e.t_ns; });
        next = static_cast<std::size_t>(it - events.begin()) - 1;
    }
    if (next + 1 >= events.size()) {
        next = events.size() - 1;
        playing = false;
    }
    m_clock_seq = events[next].seq;
    return events[next].seq;
}

double Playback::motion_seconds() const noexcept {
    if (pace == Pace::events_per_second)
        return std::min(0.45, 0.85 / std::max(events_per_second, 0.1));
    return 0.3;
}

}  // namespace cogen::viz

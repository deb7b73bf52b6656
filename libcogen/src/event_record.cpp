// EventRecord: unpacking a record into the readable TraceEvent (see event_record.hpp).
#include "cogen/event_record.hpp"

namespace cogen {

TraceEvent to_trace_event(const EventRecord& r) noexcept {
    return detail::last_event(r, record_time_ns(r));
}

std::size_t to_trace_events(const EventRecord& r, TraceEvent* out) noexcept {
    std::size_t n = 0;
    for_each_event(r, record_time_ns(r), [&](const TraceEvent& e) { out[n++] = e; });
    return n;
}

}  // namespace cogen

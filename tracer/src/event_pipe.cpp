// EventPipe: ring, strings and flush handshake of a background sink (see event_pipe.hpp).
#include "event_pipe.hpp"

#include <algorithm>

namespace cogen::trace::detail {

std::size_t EventPipe::pop(std::span<TraceEvent> batch) noexcept {
    // A record may stand for EventRecord::max_events events: pop no more than fit, and go
    // on while the ring gives whole batches.
    std::size_t out = 0;
    m_emptied = false;
    while (batch.size() - out >= EventRecord::max_events) {
        const std::size_t want =
            std::min((batch.size() - out) / EventRecord::max_events, m_records.size());
        const std::size_t n = pop_records(std::span<EventRecord>{m_records}.first(want));
        for (std::size_t i = 0; i < n; ++i) {
            for_each_event(m_records[i], m_records[i].t,
                           [&](const TraceEvent& e) { batch[out++] = e; });
        }
        if (m_emptied) break;
    }
    return out;
}

std::size_t EventPipe::pop_records(std::span<EventRecord> out) noexcept {
    const std::size_t n = m_ring.pop(out);
    m_emptied = n < out.size();
    const TickClock& clock = TickClock::instance();
    for (std::size_t i = 0; i < n; ++i) {
        EventRecord& r = out[i];
        // A record's events share its time: one conversion, one monotonic check (tick
        // conversions refined between two records may differ by a few ns).
        std::uint64_t t = record_time_ns(r, clock);
        if (t < m_last_t) t = m_last_t;
        m_last_t = t;
        r.set_time_ns(t);
    }
    return n;
}

void EventPipe::add_string(std::uint32_t id, std::string_view text) {
    // NOTE: a lock, but not on the hot path: each string is announced once.
    std::lock_guard lock{m_strings_mutex};
    m_new_strings.emplace_back(id, std::string(text));
}

std::vector<std::uint32_t> EventPipe::sync_strings() {
    std::vector<std::pair<std::uint32_t, std::string>> fresh;
    {
        std::lock_guard lock{m_strings_mutex};
        fresh.swap(m_new_strings);
    }
    std::vector<std::uint32_t> ids;
    ids.reserve(fresh.size());
    for (auto& [id, text] : fresh) {
        m_local.set(id, text);
        ids.push_back(id);
    }
    return ids;
}

void EventPipe::mark_written() {
    const std::uint64_t popped = m_ring.popped();
    std::lock_guard lock{m_flush_mutex};
    m_written = popped;
    m_flush_cv.notify_all();
}

void EventPipe::mark_stopped() {
    std::lock_guard lock{m_flush_mutex};
    m_stopped = true;
    m_flush_cv.notify_all();
}

}  // namespace cogen::trace::detail

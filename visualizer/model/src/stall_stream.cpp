// StallStream: a record ring the scheduler fills, a thread that feeds a StallTracker from it
// and forwards to the wrapped instrument (see stall_stream.hpp).
#include "cogen/viz/stall_stream.hpp"

#include <unistd.h>

#include "cogen/viz/stall_watch.hpp"

namespace cogen::viz {

StallStream::StallStream(Instrument* next, Options options)
    : m_next(next),
      m_next_ring(next ? next->record_ring() : nullptr),
      m_next_ring_mode(next == nullptr || m_next_ring != nullptr),
      m_options(options),
      m_ring(options.ring_capacity, RecordRing::WhenFull::drop),
      m_records(1024),
      m_events(1024 * EventRecord::max_events),
      m_tracker(options.stall) {
    m_thread = std::thread([this] { run(); });
    if (m_next_ring) {
        m_flush_stage =
            std::make_unique<trace::FlushStage>([this] { flush(std::chrono::milliseconds{2000}); });
    }
}

StallStream::StallStream(std::unique_ptr<Instrument> next, Options options)
    : StallStream(next.get(), options) {
    m_owned_next = std::move(next);
}

StallStream::~StallStream() {
    m_flush_stage.reset();  // no crash flush into a stream being taken down
    stop();
}

void StallStream::on_string(std::uint32_t id, std::string_view text) {
    {
        // NOTE: a lock, but not on the hot path: each string is announced once.
        std::lock_guard lock{m_strings_mutex};
        m_new_strings.emplace_back(id, std::string(text));
    }
    if (m_next) m_next->on_string(id, text);
}

void StallStream::on_event(const TraceEvent& event) {
    m_ring.push(to_record(event));
    // In ring mode the drain thread forwards the record: one producer for next's ring.
    if (!m_next_ring_mode) m_next->on_event(event);
}

void StallStream::on_close() {
    stop();
    if (m_next) m_next->on_close();
}

void StallStream::run() {
    std::unique_lock lock{m_mutex};
    while (!m_stopping) {
        m_wake.wait_for(lock, m_options.interval, [this] { return m_stopping || m_woken; });
        if (m_stopping) break;
        m_woken = false;
        lock.unlock();
        drain();
        lock.lock();
    }
}

void StallStream::drain() {
    for (;;) {
        const std::size_t n = m_ring.pop(m_records);
        // Strings announced before these records were pushed are in m_new_strings now.
        std::vector<std::pair<std::uint32_t, std::string>> strings;
        {
            std::lock_guard lock{m_strings_mutex};
            strings.swap(m_new_strings);
        }
        std::size_t events = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (m_next_ring) m_next_ring->push(m_records[i]);
            const std::size_t k = to_trace_events(m_records[i], &m_events[events]);
            for (std::size_t j = events; j < events + k; ++j) {
                // Tick conversions refined between two records may differ by a few ns: keep
                // the stream's time monotonic (as the tracer's sinks do).
                TraceEvent& e = m_events[j];
                if (e.t_ns < m_last_t) e.t_ns = m_last_t;
                m_last_t = e.t_ns;
            }
            events += k;
        }
        {
            std::lock_guard lock{m_tracker_mutex};
            for (const auto& [id, text] : strings) m_tracker.add_string(id, text);
            m_tracker.add_events(std::span<const TraceEvent>{m_events}.first(events));
        }
        if (n < m_records.size()) break;
    }
    std::lock_guard lock{m_mutex};
    m_applied = m_ring.popped();
    m_drained.notify_all();
}

void StallStream::stop() {
    {
        std::lock_guard lock{m_mutex};
        if (m_stopped) return;
        m_stopping = true;
        m_wake.notify_all();
    }
    if (m_thread.joinable()) m_thread.join();
    drain();  // the final one: nothing else touches the ring's consumer side now
    std::lock_guard lock{m_mutex};
    m_stopped = true;
    m_drained.notify_all();
}

bool StallStream::flush(std::chrono::milliseconds timeout) {
    const std::uint64_t target = m_ring.pushed();
    std::unique_lock lock{m_mutex};
    if (!m_stopped) {
        m_woken = true;
        m_wake.notify_all();
        m_drained.wait_for(lock, timeout, [&] { return m_stopped || m_applied >= target; });
    }
    return m_applied >= target;
}

std::vector<Finding> StallStream::findings() const {
    std::lock_guard lock{m_tracker_mutex};
    return m_tracker.findings_at_end();
}

std::uint64_t StallStream::events() const {
    std::lock_guard lock{m_tracker_mutex};
    return m_tracker.events();
}

std::size_t StallStream::approx_bytes() const {
    std::lock_guard lock{m_tracker_mutex};
    return m_tracker.approx_bytes();
}

std::string format_stall_stream_report(const std::vector<Finding>& findings, std::uint64_t dropped,
                                       std::string_view program, std::string_view when) {
    std::string out = format_stall_report(findings, program, when);
    if (dropped == 0) return out;
    const std::string gap = std::to_string(dropped) + " event" + (dropped == 1 ? "" : "s") +
                            " dropped (the stall check's ring was full)";
    if (!findings.empty()) {
        return out + "  note: " + gap +
               ": the findings come from a trace with a gap; a coroutine whose events fell in "
               "it may be reported wrongly or missed\n";
    }
    return "==" + std::to_string(::getpid()) + "==COGEN_STALLS: no stall finding" +
           (program.empty() ? "" : " in '" + std::string(program) + "'") +
           (when.empty() ? "" : " (" + std::string(when) + ")") + ", but " + gap +
           ": the check is incomplete (docs/stalls.md)\n";
}

}  // namespace cogen::viz

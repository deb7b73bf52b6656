// EventPipe: what a background sink (JsonlWriter, BinaryWriter, LiveFeed, PerfettoWriter)
// shares between the scheduler thread and its own thread: the record ring the scheduler
// writes into, the strings announced so far, and the flush handshake ("tell me when
// everything pushed before now is written"). Records become TraceEvents in pop(), or stay
// records, their time in ns, in pop_records(). Private.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "cogen/record_ring.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace::detail {

class EventPipe {
  public:
    explicit EventPipe(std::size_t capacity)
        : m_ring(capacity, RecordRing::WhenFull::drop), m_records(1024) {}

    // Producer (scheduler thread).
    void add_string(std::uint32_t id, std::string_view text);
    void push(const TraceEvent& event) noexcept { m_ring.push(to_record(event)); }
    /// What the sink returns from Instrument::record_ring(): the scheduler pushes itself.
    RecordRing* ring() noexcept { return &m_ring; }

    // Consumer (the sink's thread).
    /// Pops up to batch.size() events (ticks converted to ns, kept monotonic); the strings
    /// they may use are then in strings(). A batch may come back not quite full with more
    /// waiting (a record can stand for two events): emptied() says whether the ring was.
    std::size_t pop(std::span<TraceEvent> batch) noexcept;
    /// Pops up to out.size() records as they are (the file writers encode them whole), each
    /// with its time in ns in `t` (its ticks flag cleared), kept monotonic like pop()'s.
    /// Sets emptied() when fewer came than asked for.
    std::size_t pop_records(std::span<EventRecord> out) noexcept;
    /// The last pop() or pop_records() found the ring empty (drain loops stop on it).
    bool emptied() const noexcept { return m_emptied; }
    /// Ids announced since the previous call, in order; copies them into strings().
    std::vector<std::uint32_t> sync_strings();
    const StringTable& strings() const { return m_local; }
    /// Everything popped so far has been written: wakes flush() callers.
    void mark_written();
    /// True (once) when somebody is waiting in flush().
    bool flush_requested() const { return m_flush_waiters.load(std::memory_order_acquire) > 0; }

    // Any thread.
    /// Waits until the consumer has written what was pushed before the call, or timeout.
    /// `wake` is called to hurry the consumer. Returns false on timeout or when stopped.
    template <class Wake>
    bool flush(Wake&& wake, std::chrono::milliseconds timeout);
    /// After this, flush() returns at once.
    void mark_stopped();
    std::uint64_t dropped() const noexcept { return m_ring.dropped(); }

  private:
    RecordRing m_ring;
    std::vector<EventRecord> m_records;  // consumer: pop()'s staging
    bool m_emptied = false;              // consumer: the last pop() emptied the ring
    std::uint64_t m_last_t = 0;          // consumer: the latest t_ns handed out
    std::mutex m_strings_mutex;
    std::vector<std::pair<std::uint32_t, std::string>> m_new_strings;
    StringTable m_local;  // consumer-owned copy

    std::mutex m_flush_mutex;
    std::condition_variable m_flush_cv;
    std::uint64_t m_written = 0;
    bool m_stopped = false;
    std::atomic<int> m_flush_waiters{0};
};

template <class Wake>
bool EventPipe::flush(Wake&& wake, std::chrono::milliseconds timeout) {
    const std::uint64_t target = m_ring.pushed();
    std::unique_lock lock{m_flush_mutex};
    if (m_stopped) return false;
    m_flush_waiters.fetch_add(1, std::memory_order_acq_rel);
    lock.unlock();
    wake();
    lock.lock();
    const bool done =
        m_flush_cv.wait_for(lock, timeout, [&] { return m_stopped || m_written >= target; });
    m_flush_waiters.fetch_sub(1, std::memory_order_acq_rel);
    return done && m_written >= target;
}

}  // namespace cogen::trace::detail

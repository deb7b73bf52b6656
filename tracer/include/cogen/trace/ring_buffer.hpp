// RingBuffer: the fixed-capacity single-producer/single-consumer queue of TraceEvent between
// the scheduler thread (producer) and a sink's background thread (consumer). When it is full
// the event is dropped and counted, never waited for; the count reaches the stream as a
// trace.drop event in the place of the gap. Format of trace.drop: docs/trace-format.md.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "cogen/instrument.hpp"

namespace cogen::trace {

/// A lock-free SPSC ring of events: `RingBuffer ring{1 << 16}; ring.push(e); ring.pop(batch);`
///
/// push() is called by exactly one thread (the scheduler), pop() by exactly one other (the
/// sink's consumer). Neither allocates, locks or blocks. When events were dropped, the next
/// push() that finds room first inserts a trace.drop event whose `a` is the number dropped
/// and whose `seq` is the seq of the last dropped event (so seq stays strictly increasing).
class RingBuffer {
  public:
    /// `RingBuffer ring{4096};` capacity is rounded up to a power of two (at least 2).
    explicit RingBuffer(std::size_t capacity);
    RingBuffer(const RingBuffer&) = delete;
    RingBuffer& operator=(const RingBuffer&) = delete;

    /// `if (!ring.push(e)) ...` copies e in; false when full (e is dropped and counted).
    bool push(const TraceEvent& event) noexcept;

    /// `std::size_t n = ring.pop(batch);` moves up to batch.size() events out, oldest first.
    std::size_t pop(std::span<TraceEvent> out) noexcept;

    /// `ring.capacity()` is the number of events the ring holds when full.
    std::size_t capacity() const noexcept { return m_mask + 1; }
    /// `ring.dropped()`: events dropped so far (readable from any thread).
    std::uint64_t dropped() const noexcept { return m_dropped.load(std::memory_order_relaxed); }
    /// `ring.pushed()`: events accepted so far, drop markers included (any thread).
    std::uint64_t pushed() const noexcept { return m_head.load(std::memory_order_acquire); }
    /// `ring.popped()`: events handed to the consumer so far (any thread).
    std::uint64_t popped() const noexcept { return m_tail.load(std::memory_order_acquire); }

  private:
    bool has_room(std::uint64_t head, std::uint64_t needed) noexcept;

    std::unique_ptr<TraceEvent[]> m_slots;
    std::size_t m_mask;
    // Producer side.
    alignas(64) std::atomic<std::uint64_t> m_head{0};
    std::uint64_t m_tail_cache = 0;
    std::uint64_t m_pending_drops = 0;
    std::uint64_t m_last_dropped_seq = 0;
    // Consumer side.
    alignas(64) std::atomic<std::uint64_t> m_tail{0};
    // Shared statistics.
    alignas(64) std::atomic<std::uint64_t> m_dropped{0};
};

}  // namespace cogen::trace

// RingBuffer: SPSC event ring with counted drops (see ring_buffer.hpp).
#include "cogen/trace/ring_buffer.hpp"

#include <bit>

namespace cogen::trace {

RingBuffer::RingBuffer(std::size_t capacity)
    : m_slots(std::make_unique<TraceEvent[]>(std::bit_ceil(capacity < 2 ? 2 : capacity))),
      m_mask(std::bit_ceil(capacity < 2 ? 2 : capacity) - 1) {}

bool RingBuffer::has_room(std::uint64_t head, std::uint64_t needed) noexcept {
    // NOTE: the producer re-reads the consumer's position only when its cached copy says
    // "full", so the common push touches no cache line the consumer writes.
    if (head - m_tail_cache + needed <= capacity()) return true;
    m_tail_cache = m_tail.load(std::memory_order_acquire);
    return head - m_tail_cache + needed <= capacity();
}

bool RingBuffer::push(const TraceEvent& event) noexcept {
    std::uint64_t head = m_head.load(std::memory_order_relaxed);
    const std::uint64_t needed = m_pending_drops > 0 ? 2 : 1;
    if (!has_room(head, needed)) {
        ++m_pending_drops;
        m_last_dropped_seq = event.seq;
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    if (m_pending_drops > 0) {
        TraceEvent& marker = m_slots[head & m_mask];
        marker = TraceEvent{};
        marker.seq = m_last_dropped_seq;
        marker.t_ns = event.t_ns;
        marker.kind = EventKind::trace_drop;
        marker.a = static_cast<std::int64_t>(m_pending_drops);
        m_pending_drops = 0;
        ++head;
    }
    m_slots[head & m_mask] = event;
    m_head.store(head + 1, std::memory_order_release);
    return true;
}

std::size_t RingBuffer::pop(std::span<TraceEvent> out) noexcept {
    const std::uint64_t tail = m_tail.load(std::memory_order_relaxed);
    const std::uint64_t head = m_head.load(std::memory_order_acquire);
    std::size_t n = static_cast<std::size_t>(head - tail);
    if (n > out.size()) n = out.size();
    for (std::size_t i = 0; i < n; ++i) out[i] = m_slots[(tail + i) & m_mask];
    m_tail.store(tail + n, std::memory_order_release);
    return n;
}

}  // namespace cogen::trace

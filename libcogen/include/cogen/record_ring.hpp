// RecordRing: the ring of EventRecords a tracer hands the scheduler (Instrument::record_ring)
// so that an event is eight word stores into a cache line and one release store — no call,
// no lock, no allocation. Two policies: drop when full (a background sink drains it) or
// overwrite the oldest (a flight recorder). docs/tracing.md, "What it costs, and what it
// never does".
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "cogen/event_record.hpp"

namespace cogen {

/// `RecordRing ring{1 << 16, RecordRing::WhenFull::drop}; ring.push(r); ring.pop(batch);`
///
/// One producer thread calls push(). In drop mode one consumer thread calls pop(); when the
/// ring is full the record is dropped and counted, and the next push() that finds room first
/// inserts a trace.drop record (a = events dropped, seq = the last dropped one's seq). In
/// overwrite mode nothing is ever dropped at push time; snapshot() copies what is kept, from
/// any thread, while the producer goes on (a record being overwritten is left out).
class RecordRing {
  public:
    enum class WhenFull : std::uint8_t { drop, overwrite };

    /// Capacity rounded up to a power of two (at least 2).
    RecordRing(std::size_t capacity, WhenFull when_full);
    RecordRing(const RecordRing&) = delete;
    RecordRing& operator=(const RecordRing&) = delete;

    /// `ring.push(r)` copies r in; false when it was dropped (drop mode, ring full).
    [[gnu::always_inline]] bool push(const EventRecord& r) noexcept {
        std::uint64_t head = m_head.load(std::memory_order_relaxed);
        if (head == 0) [[unlikely]]
            m_first_seq.store(r.first_seq(), std::memory_order_relaxed);
        if (m_when_full == WhenFull::drop) {
            if (head - m_tail_cache + (m_pending_drops != 0 ? 2 : 1) > capacity()) [[unlikely]] {
                if (!make_room(head, r.seq, r.events())) return false;
            }
            if (m_pending_drops != 0) [[unlikely]] {
                const EventRecord marker{
                    .t = r.t,
                    .seq = m_last_dropped_seq,
                    .a = static_cast<std::int64_t>(m_pending_drops),
                    .misc = EventRecord::pack_misc(-1, EventKind::trace_drop,
                                                   r.flags() & EventRecord::ticks)};
                store(m_slots[head & m_mask], marker);
                m_head.store(++head, std::memory_order_release);
                m_pending_drops = 0;
            }
        } else {
            // Announce the rewrite before it starts: a snapshot that reads any of this slot's
            // new words then also sees m_claimed past it, and leaves the slot out.
            m_claimed.store(head + 1, std::memory_order_relaxed);
            std::atomic_thread_fence(std::memory_order_release);
        }
        store(m_slots[head & m_mask], r);
        m_head.store(head + 1, std::memory_order_release);
        // The slot a few records ahead, fetched now: a ring larger than the cache would
        // otherwise have each push wait for its line (every record is a new one).
        __builtin_prefetch(&m_slots[(head + prefetch_distance) & m_mask], 1);
        return true;
    }

    /// Drop mode, consumer: `std::size_t n = ring.pop(batch);` moves up to batch.size()
    /// records out, oldest first.
    std::size_t pop(std::span<EventRecord> out) noexcept;

    /// Overwrite mode, any thread: the records kept, oldest first; `total` (optional) gets
    /// the number of events ever pushed (a record may stand for two: EventRecord::events()).
    std::vector<EventRecord> snapshot(std::uint64_t* total = nullptr) const;
    /// Events pushed so far, kept or not (any thread; records may stand for two events).
    std::uint64_t events_pushed() const noexcept;

    std::size_t capacity() const noexcept { return m_mask + 1; }
    WhenFull when_full() const noexcept { return m_when_full; }
    /// Events dropped so far (drop mode; any thread).
    std::uint64_t dropped() const noexcept { return m_dropped.load(std::memory_order_relaxed); }
    /// Records accepted so far, drop markers included (any thread).
    std::uint64_t pushed() const noexcept { return m_head.load(std::memory_order_acquire); }
    /// Records handed to the consumer so far (drop mode; any thread).
    std::uint64_t popped() const noexcept { return m_tail.load(std::memory_order_acquire); }

  private:
    static constexpr std::uint64_t prefetch_distance = 16;
    // One record per cache line, as relaxed atomic words: a concurrent snapshot() may read
    // a slot the producer is rewriting without a data race (it then discards the copy).
    struct alignas(64) Slot {
        std::atomic<std::uint64_t> w[8];
    };
    static void store(Slot& s, const EventRecord& r) noexcept {
        constexpr auto relaxed = std::memory_order_relaxed;
        s.w[0].store(r.t, relaxed);
        s.w[1].store(r.seq, relaxed);
        s.w[2].store(r.coro, relaxed);
        s.w[3].store(r.op, relaxed);
        s.w[4].store(static_cast<std::uint64_t>(r.a), relaxed);
        s.w[5].store(static_cast<std::uint64_t>(r.b), relaxed);
        s.w[6].store(r.names, relaxed);
        s.w[7].store(r.misc, relaxed);
    }
    static EventRecord load(const Slot& s) noexcept;
    bool make_room(std::uint64_t head, std::uint64_t seq,
                   std::size_t events) noexcept;  // by value: r stays in registers

    // The slots: huge pages where the ring spans one (RecordRing::allocate): a ring that
    // outgrows the cache then costs no TLB miss per few dozen records.
    struct FreeSlots {
        std::size_t bytes = 0;
        void operator()(Slot* p) const noexcept;
    };
    static std::unique_ptr<Slot[], FreeSlots> allocate(std::size_t count);
    std::unique_ptr<Slot[], FreeSlots> m_slots;
    std::size_t m_mask;
    WhenFull m_when_full;
    // Producer side.
    alignas(64) std::atomic<std::uint64_t> m_head{0};
    std::atomic<std::uint64_t> m_claimed{0};    // overwrite mode: the record being written + 1
    std::atomic<std::uint64_t> m_first_seq{0};  // the first event's seq (counts the lost ones)
    std::uint64_t m_tail_cache = 0;
    std::uint64_t m_pending_drops = 0;
    std::uint64_t m_last_dropped_seq = 0;
    // Consumer side.
    alignas(64) std::atomic<std::uint64_t> m_tail{0};
    alignas(64) std::atomic<std::uint64_t> m_dropped{0};
};

}  // namespace cogen

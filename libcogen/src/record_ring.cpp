// RecordRing: the consumer side and the full-ring path (see record_ring.hpp).
#include "cogen/record_ring.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <new>

namespace cogen {

namespace {
constexpr std::size_t huge_page = std::size_t{2} << 20;
// The alignment the slots are allocated (and must be freed) with.
constexpr std::size_t slots_alignment(std::size_t bytes, std::size_t slot_alignment) noexcept {
    return bytes >= huge_page ? huge_page : slot_alignment;
}
}  // namespace

// A ring of at least one huge page (2 MiB: 32,768 records) is allocated on huge-page
// boundaries and offered to the kernel for transparent huge pages before it is touched;
// smaller ones, or where the kernel declines, keep 4 KiB pages.
std::unique_ptr<RecordRing::Slot[], RecordRing::FreeSlots> RecordRing::allocate(std::size_t count) {
    const std::size_t bytes = count * sizeof(Slot);
    const std::size_t align = slots_alignment(bytes, alignof(Slot));
    void* p = ::operator new (bytes, std::align_val_t{align});
    if (align == huge_page) (void)::madvise(p, bytes, MADV_HUGEPAGE);  // a no: 4 KiB pages
    Slot* slots = static_cast<Slot*>(p);
    for (std::size_t i = 0; i < count; ++i) new (&slots[i]) Slot{};
    return std::unique_ptr<Slot[], FreeSlots>(slots, FreeSlots{bytes});
}

void RecordRing::FreeSlots::operator()(Slot* p) const noexcept {
    // (Slot is trivially destructible.)
    ::operator delete (p, std::align_val_t{slots_alignment(bytes, alignof(Slot))});
}

RecordRing::RecordRing(std::size_t capacity, WhenFull when_full)
    : m_slots(allocate(std::bit_ceil(std::max<std::size_t>(capacity, 2)))),
      m_mask(std::bit_ceil(std::max<std::size_t>(capacity, 2)) - 1),
      m_when_full(when_full) {}

EventRecord RecordRing::load(const Slot& s) noexcept {
    constexpr auto relaxed = std::memory_order_relaxed;
    return EventRecord{.t = s.w[0].load(relaxed),
                       .seq = s.w[1].load(relaxed),
                       .coro = s.w[2].load(relaxed),
                       .op = s.w[3].load(relaxed),
                       .a = static_cast<std::int64_t>(s.w[4].load(relaxed)),
                       .b = static_cast<std::int64_t>(s.w[5].load(relaxed)),
                       .names = s.w[6].load(relaxed),
                       .misc = s.w[7].load(relaxed)};
}

bool RecordRing::make_room(std::uint64_t head, std::uint64_t seq, std::size_t events) noexcept {
    // NOTE: the producer re-reads the consumer's position only when its cached copy says
    // "full", so the common push touches no cache line the consumer writes.
    m_tail_cache = m_tail.load(std::memory_order_acquire);
    if (head - m_tail_cache + (m_pending_drops != 0 ? 2 : 1) <= capacity()) return true;
    m_pending_drops += events;
    m_last_dropped_seq = seq;
    m_dropped.fetch_add(events, std::memory_order_relaxed);
    return false;
}

std::size_t RecordRing::pop(std::span<EventRecord> out) noexcept {
    const std::uint64_t tail = m_tail.load(std::memory_order_relaxed);
    const std::uint64_t head = m_head.load(std::memory_order_acquire);
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(head - tail, out.size()));
    for (std::size_t i = 0; i < n; ++i) out[i] = load(m_slots[(tail + i) & m_mask]);
    m_tail.store(tail + n, std::memory_order_release);
    return n;
}

std::vector<EventRecord> RecordRing::snapshot(std::uint64_t* total) const {
    // TRICKY: the producer keeps overwriting while we copy. Before it rewrites the slot of
    // record h it stores m_claimed = h + 1 and fences (release); we copy, fence (acquire),
    // then read m_claimed: a copied slot that may hold words of a newer record than the
    // one we meant (index i rewritten for i + capacity) has i + capacity < m_claimed, and
    // is left out. A producer at rest leaves every slot valid.
    const std::uint64_t before = m_head.load(std::memory_order_acquire);
    const std::uint64_t first = before > capacity() ? before - capacity() : 0;
    std::vector<EventRecord> out;
    out.reserve(static_cast<std::size_t>(before - first));
    for (std::uint64_t i = first; i < before; ++i) out.push_back(load(m_slots[i & m_mask]));
    std::atomic_thread_fence(std::memory_order_acquire);
    const std::uint64_t claimed = m_claimed.load(std::memory_order_relaxed);
    const std::uint64_t valid_from = claimed > capacity() ? claimed - capacity() : 0;
    if (valid_from > first) {
        const auto stale = std::min<std::uint64_t>(valid_from - first, out.size());
        out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(stale));
    }
    if (total) {
        // Events, not records: those before the first kept one (seqs are consecutive from
        // the first ever pushed) and those the kept records stand for.
        std::uint64_t events = 0;
        for (const EventRecord& r : out) events += r.events();
        const std::uint64_t first = m_first_seq.load(std::memory_order_relaxed);
        *total = out.empty() ? events_pushed() : out.front().first_seq() - first + events;
    }
    return out;
}

std::uint64_t RecordRing::events_pushed() const noexcept {
    const std::uint64_t head = m_head.load(std::memory_order_acquire);
    if (head == 0) return 0;
    // The latest record's seq, read as a snapshot reads slots (relaxed words; a slot being
    // rewritten can only be an older one when the producer is ahead).
    const EventRecord last = load(m_slots[(head - 1) & m_mask]);
    return last.seq - m_first_seq.load(std::memory_order_relaxed) + 1;
}

}  // namespace cogen

// CoroutineIndex: the (id, slot) cache of a state's coroutines (coroutine_index.hpp).
#include "cogen/viz/coroutine_index.hpp"

#include <algorithm>
#include <bit>

namespace cogen::viz {
namespace {

constexpr std::uint64_t slot_mask = 0xffff'ffffu;

std::size_t hash(std::uint64_t id) noexcept {
    return static_cast<std::size_t>((id * 0x9E37'79B9'7F4A'7C15u) >> 32);
}

std::uint64_t entry(std::uint64_t id, std::size_t slot) noexcept {
    return (id << 32) | (static_cast<std::uint64_t>(slot) + 1);
}

std::size_t search(std::span<const CoroutineState> sorted, std::uint64_t id) noexcept {
    const auto it =
        std::lower_bound(sorted.begin(), sorted.end(), id,
                         [](const CoroutineState& c, std::uint64_t key) { return c.id < key; });
    return it != sorted.end() && it->id == id ? static_cast<std::size_t>(it - sorted.begin())
                                              : sorted.size();
}

}  // namespace

// The slot the cache holds for `id` (not checked), or npos.
std::size_t CoroutineIndex::probe(std::uint64_t id) const noexcept {
    if (m_entries.empty()) return npos;
    const std::size_t mask = m_entries.size() - 1;
    for (std::size_t h = hash(id) & mask;; h = (h + 1) & mask) {
        const std::uint64_t e = m_entries[h];
        if (e == 0) return npos;
        if ((e >> 32) == (id & slot_mask)) return static_cast<std::size_t>((e & slot_mask) - 1);
    }
}

// Without a search: the cache's slot for `id`, or its dense slot, each checked against the
// entry there; sorted.size() if neither holds it. With a cache the ids have gaps: it is
// asked first (the dense guess would read a wrong entry).
std::size_t CoroutineIndex::quick(std::span<const CoroutineState> sorted,
                                  std::uint64_t id) const noexcept {
    const auto holds = [&](std::size_t slot) {
        return slot < sorted.size() && sorted[slot].id == id;
    };
    if (const std::size_t slot = probe(id); holds(slot)) return slot;
    if (const std::size_t slot = dense_slot(sorted, id); holds(slot)) return slot;
    return sorted.size();
}

std::size_t CoroutineIndex::find(std::span<const CoroutineState> sorted,
                                 std::uint64_t id) const noexcept {
    const std::size_t slot = quick(sorted, id);
    return slot != sorted.size() ? slot : search(sorted, id);
}

std::size_t CoroutineIndex::find_and_remember(std::span<const CoroutineState> sorted,
                                              std::uint64_t id) {
    if (const std::size_t slot = quick(sorted, id); slot != sorted.size()) return slot;
    const std::size_t slot = search(sorted, id);
    if (slot == sorted.size()) return slot;
    if (m_entries.empty()) {
        rebuild(sorted);  // the ids have gaps: index them all at once
    } else {
        remember(id, slot);
    }
    return slot;
}

std::size_t CoroutineIndex::likely(std::span<const CoroutineState> sorted,
                                   std::uint64_t id) const noexcept {
    if (m_entries.empty()) return dense_slot(sorted, id);
    const std::size_t slot = probe(id);
    return slot < sorted.size() ? slot : sorted.size();
}

void CoroutineIndex::remember(std::uint64_t id, std::size_t slot) {
    if (m_entries.empty()) return;  // dense until a search says otherwise
    if ((m_used + 1) * 4 > m_entries.size() * 3) {
        m_entries.clear();  // full of stale entries: the next miss indexes them afresh
        m_used = 0;
        return;
    }
    put(id, slot);
}

void CoroutineIndex::rebuild(std::span<const CoroutineState> sorted) {
    const std::size_t size = std::bit_ceil(std::max<std::size_t>(64, sorted.size() * 2));
    m_entries.assign(size, 0);
    m_used = 0;
    for (std::size_t slot = 0; slot < sorted.size(); ++slot) put(sorted[slot].id, slot);
}

void CoroutineIndex::put(std::uint64_t id, std::size_t slot) noexcept {
    const std::size_t mask = m_entries.size() - 1;
    for (std::size_t h = hash(id) & mask;; h = (h + 1) & mask) {
        const std::uint64_t e = m_entries[h];
        if (e == 0) {
            m_entries[h] = entry(id, slot);
            ++m_used;
            return;
        }
        if ((e >> 32) == (id & slot_mask)) {  // the same id (or one alike in its low bits)
            m_entries[h] = entry(id, slot);
            return;
        }
    }
}

}  // namespace cogen::viz

// CoroutineIndex: the (id, slot) cache of a state's coroutines (coroutine_index.hpp).
#include "cogen/viz/coroutine_index.hpp"

#include <algorithm>

namespace cogen::viz {
namespace {

std::size_t search(std::span<const CoroutineState> sorted, std::uint64_t id) noexcept {
    const auto it =
        std::lower_bound(sorted.begin(), sorted.end(), id,
                         [](const CoroutineState& c, std::uint64_t key) { return c.id < key; });
    return it != sorted.end() && it->id == id ? static_cast<std::size_t>(it - sorted.begin())
                                              : sorted.size();
}

}  // namespace

// Without a search: the cache's slot for `id`, or its dense slot, each checked against the
// entry there; sorted.size() if neither holds it. With a cache the ids have gaps: it is
// asked first (the dense guess would read a wrong entry).
std::size_t CoroutineIndex::quick(std::span<const CoroutineState> sorted,
                                  std::uint64_t id) const noexcept {
    const auto holds = [&](std::size_t slot) {
        return slot < sorted.size() && sorted[slot].id == id;
    };
    if (const std::size_t slot = m_slots.find(id, holds); slot != SlotIndex::npos) return slot;
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
    if (m_slots.empty()) {
        rebuild(sorted);  // the ids have gaps: index them all at once
    } else {
        remember(id, slot);
    }
    return slot;
}

std::size_t CoroutineIndex::likely(std::span<const CoroutineState> sorted,
                                   std::uint64_t id) const noexcept {
    if (m_slots.empty()) return dense_slot(sorted, id);
    // The first slot filed under the id, unchecked: a guess is all a prefetch needs.
    const std::size_t slot = m_slots.find(id, [](std::size_t) { return true; });
    return slot < sorted.size() ? slot : sorted.size();
}

void CoroutineIndex::remember(std::uint64_t id, std::size_t slot) {
    if (m_slots.empty()) return;  // dense until a search says otherwise
    if (!m_slots.has_room()) {
        m_slots.clear();  // full of stale entries: the next miss indexes them afresh
        return;
    }
    m_slots.put(id, slot);
}

void CoroutineIndex::rebuild(std::span<const CoroutineState> sorted) {
    m_slots.reset(sorted.size());
    for (std::size_t slot = 0; slot < sorted.size(); ++slot) m_slots.put(sorted[slot].id, slot);
}

}  // namespace cogen::viz

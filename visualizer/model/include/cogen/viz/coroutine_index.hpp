// CoroutineIndex: where a coroutine sits in ModelState::coroutines (sorted by id) once the
// ids have gaps. Ids are handed out in order, so a state's coroutines are usually dense and
// `id - first id` is the slot; once ended coroutines leave the state (TraceModel's ended
// horizon) that guess fails, and a binary search over tens of thousands of 456-byte
// entries is several cache misses per event. The index is a cache of (id, slot) in a
// SlotIndex (as the op tables'): every candidate is checked against the entry it names, so
// a slot moved by an insertion or an erasure is only a miss, found by the search and
// remembered again. It is not part of the state's value: two indexes compare equal whatever
// they hold.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "cogen/viz/coroutine_state.hpp"
#include "cogen/viz/slot_index.hpp"

namespace cogen::viz {

class CoroutineIndex {
  public:
    /// The slot of `id` in `sorted`, or sorted.size() when it is not there.
    std::size_t find(std::span<const CoroutineState> sorted, std::uint64_t id) const noexcept;
    /// The same, remembering a slot the cache did not hold (the first miss indexes them all).
    std::size_t find_and_remember(std::span<const CoroutineState> sorted, std::uint64_t id);
    /// Where `id` probably is, reading the cache and the first id only (a prefetch's guess);
    /// sorted.size() when unknown.
    std::size_t likely(std::span<const CoroutineState> sorted, std::uint64_t id) const noexcept;
    /// `id` was just put at `slot` (an append).
    void remember(std::uint64_t id, std::size_t slot);
    /// Slots moved (an erasure): start again at the next miss.
    void clear() noexcept { m_slots.clear(); }
    std::size_t memory_bytes() const noexcept { return m_slots.memory_bytes(); }
    bool operator==(const CoroutineIndex&) const noexcept { return true; }  // a cache

  private:
    std::size_t quick(std::span<const CoroutineState> sorted, std::uint64_t id) const noexcept;
    void rebuild(std::span<const CoroutineState> sorted);

    SlotIndex m_slots;  // id -> slot; empty while the ids have no gaps
};

}  // namespace cogen::viz

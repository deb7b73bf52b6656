// CoroutineIndex: where a coroutine sits in ModelState::coroutines (sorted by id) once the
// ids have gaps. Ids are handed out in order, so a state's coroutines are usually dense and
// `id - first id` is the slot; once ended coroutines leave the state (TraceModel's ended
// horizon) that guess fails, and a binary search over tens of thousands of 456-byte
// entries is several cache misses per event. The index is a cache of (id, slot) in a
// table of 8-byte entries (low 32 bits of the id, slot + 1) with linear probing: every hit
// is checked against the entry it names, so a slot moved by an insertion or an erasure is
// only a miss, found by the search and remembered again. It is not part of the state's
// value: two indexes compare equal whatever they hold.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "cogen/viz/coroutine_state.hpp"

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
    void clear() noexcept { m_entries.clear(), m_used = 0; }
    std::size_t memory_bytes() const noexcept {
        return m_entries.capacity() * sizeof(std::uint64_t);
    }
    bool operator==(const CoroutineIndex&) const noexcept { return true; }  // a cache

  private:
    static constexpr std::size_t npos = ~std::size_t{0};
    std::size_t probe(std::uint64_t id) const noexcept;
    std::size_t quick(std::span<const CoroutineState> sorted, std::uint64_t id) const noexcept;
    void rebuild(std::span<const CoroutineState> sorted);
    void put(std::uint64_t id, std::size_t slot) noexcept;

    std::vector<std::uint64_t> m_entries;  // a power of two of them, or none
    std::size_t m_used = 0;
};

}  // namespace cogen::viz

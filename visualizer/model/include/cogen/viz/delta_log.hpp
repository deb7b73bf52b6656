// DeltaLog: an append-only list of ascending 64-bit values, each with a small tag,
// packed as variable-length deltas in blocks of 32 with a header per block (the
// block's first value, where its bytes start, and how many marked entries come
// before it). TraceModel keeps each coroutine's event indexes with its lane (the
// entries whose place changed are marked: a nonzero tag) in one DeltaLog: 1-3 bytes
// per entry instead of a stored struct, and any entry, or any marked entry, is one
// block decode away (a binary search over the headers finds the block).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include "cogen/viz/pod_buffer.hpp"

namespace cogen::viz {

/// Ascending values with `tag_bits` of tag each, delta-encoded by blocks.
///
///     DeltaLog log{5};          // tags of 5 bits
///     log.push_back(100, 3);
///     log.push_back(130, 7);
///     log[1].value == 130 && log[1].tag == 7;
///     log.lower_bound(101) == 1;
///
/// Entries with a nonzero tag are *marked*, and can be read as a sequence of their own
/// (a coroutine's lane among its events):
///
///     log.push_back(150, 0);    // not marked
///     log.marked() == 2;        // 100 and 130
///     log.marked_at(1, cache).value == 130;
class DeltaLog {
  public:
    static constexpr std::size_t block_size = 32;
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    struct Entry {
        std::uint64_t value = 0;
        std::uint32_t tag = 0;
    };
    /// One block, decoded: `count` entries starting at entry `first`; of them, the
    /// `marks` marked ones are at `marked[0..marks)` (positions in the block), the first
    /// being marked entry `first_marked` of the log.
    struct Decoded {
        std::size_t block = npos;
        std::size_t first = 0;
        std::size_t count = 0;
        std::size_t first_marked = 0;
        std::size_t marks = 0;
        std::array<Entry, block_size> entries{};
        std::array<std::uint8_t, block_size> marked{};
    };

    explicit DeltaLog(unsigned tag_bits = 0) noexcept : m_tag_bits(tag_bits) {}

    /// Appends; `value` must be >= back().value and `tag` < 2^tag_bits.
    void push_back(std::uint64_t value, std::uint32_t tag = 0);
    /// Asks the cache for the bytes the next push_back() writes (a batch of pushes to
    /// many logs calls it a few pushes ahead: each push is otherwise a cache miss).
    void prefetch_back() const noexcept { __builtin_prefetch(m_bytes.data() + m_bytes.size(), 1); }
    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }
    /// How many entries have a nonzero tag.
    std::size_t marked() const noexcept { return m_marked; }
    /// Entry `i` (< size()): decodes up to 31 deltas.
    Entry operator[](std::size_t i) const noexcept;
    Entry back() const noexcept { return {m_last, m_last_tag}; }
    /// Entry `i` through `cache`: decodes its block only when `cache` holds another one
    /// (sequential and nearby reads cost one decode per 32 entries).
    Entry at(std::size_t i, Decoded& cache) const noexcept;
    /// Marked entry `j` (< marked()) through `cache`: a search over the blocks' headers
    /// unless `cache` holds its block, then one block decode at most.
    Entry marked_at(std::size_t j, Decoded& cache) const noexcept;
    /// How many of the first `i` entries (i <= size()) are marked.
    std::size_t marked_before(std::size_t i) const noexcept;
    /// The first entry whose value is >= `value` (size() if none).
    std::size_t lower_bound(std::uint64_t value) const noexcept;
    /// The first entry whose value is > `value` (size() if none).
    std::size_t upper_bound(std::uint64_t value) const noexcept;
    /// Forgets the entries whose value is < `value` (a window's trim; re-encodes).
    void drop_below(std::uint64_t value);
    /// Gives back spare capacity (a log that will not grow any more).
    void shrink_to_fit();
    void clear() noexcept;
    /// Heap bytes held.
    std::size_t memory_bytes() const noexcept;

  private:
    struct Block {
        std::uint64_t first = 0;   // the value of its first entry
        std::uint32_t offset = 0;  // where its bytes start in m_bytes
        std::uint32_t marked = 0;  // marked entries before it (fits the padding)
    };
    void decode(std::size_t block, Decoded& out) const noexcept;
    std::size_t first_block_above(std::uint64_t value, bool or_equal) const noexcept;

    PodBuffer<std::uint8_t> m_bytes;  // grown by realloc: see pod_buffer.hpp
    PodBuffer<Block> m_blocks;
    std::size_t m_size = 0;
    std::size_t m_marked = 0;
    std::uint64_t m_last = 0;
    std::uint32_t m_last_tag = 0;
    unsigned m_tag_bits = 0;
};

}  // namespace cogen::viz

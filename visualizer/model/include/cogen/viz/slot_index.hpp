// SlotIndex: a small hash index from a 64-bit key to a slot of the caller's array, for
// arrays searched once per event (a state's op tables, its coroutines). Entries are 8 bytes
// (the key's low 32 bits, the slot + 1; 0 = empty), placed by linear probing from a
// multiplicative hash, at most 7/10 full, so a probe rarely leaves its cache line. The
// index never reads the array: the caller checks each candidate slot against its own entry,
// so an entry whose slot was moved or emptied is only stale (skipped) until the next reset.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cogen::viz {

class SlotIndex {
  public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    bool empty() const noexcept { return m_entries.empty(); }
    /// The first slot filed under `key` for which `holds(slot)` is true, or npos.
    template <class Holds>
    std::size_t find(std::uint64_t key, Holds&& holds) const {
        if (m_entries.empty()) return npos;
        const auto low = static_cast<std::uint32_t>(key);
        const std::size_t mask = m_entries.size() - 1;
        for (std::size_t h = home(key);; h = (h + 1) & mask) {
            const Entry e = m_entries[h];
            if (e.slot == 0) return npos;
            if (e.key == low && holds(std::size_t{e.slot} - 1)) return e.slot - 1;
        }
    }
    /// Whether one more put() keeps the index at most 7/10 full (false when empty).
    bool has_room() const noexcept { return (m_used + 1) * 10 <= m_entries.size() * 7; }
    /// Files `slot` under `key`, in the first empty entry from its home (has_room()).
    void put(std::uint64_t key, std::size_t slot) noexcept {
        const std::size_t mask = m_entries.size() - 1;
        std::size_t h = home(key);
        while (m_entries[h].slot != 0) h = (h + 1) & mask;
        m_entries[h] = Entry{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(slot + 1)};
        ++m_used;
    }
    /// Empty, with room for twice `count` entries (a rebuild puts them back).
    void reset(std::size_t count) {
        std::size_t size = 16;
        unsigned bits = 4;
        while (size < 2 * count) {
            size *= 2;
            ++bits;
        }
        m_shift = 64 - bits;
        m_entries.assign(size, Entry{});
        m_used = 0;
    }
    /// No index at all (lookups find nothing until the next reset).
    void clear() noexcept {
        m_entries.clear();
        m_used = 0;
    }
    std::size_t memory_bytes() const noexcept { return m_entries.capacity() * sizeof(Entry); }

  private:
    struct Entry {
        std::uint32_t key = 0;   // the key's low 32 bits
        std::uint32_t slot = 0;  // slot + 1; 0 = empty
    };
    std::size_t home(std::uint64_t key) const noexcept {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> m_shift);
    }

    std::vector<Entry> m_entries;  // a power of two in size, or empty
    std::size_t m_used = 0;        // entries filled, stale ones included
    unsigned m_shift = 64;         // 64 - log2(m_entries.size())
};

}  // namespace cogen::viz

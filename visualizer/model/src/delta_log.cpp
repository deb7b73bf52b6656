// DeltaLog: LEB128 deltas by blocks of 32, a header per block.
#include "cogen/viz/delta_log.hpp"

#include <algorithm>

namespace cogen::viz {
namespace {

void put_varint(PodBuffer<std::uint8_t>& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(v));
}

std::uint64_t get_varint(const std::uint8_t*& p) noexcept {
    std::uint64_t v = 0;
    unsigned shift = 0;
    while (*p & 0x80) {
        v |= static_cast<std::uint64_t>(*p++ & 0x7f) << shift;
        shift += 7;
    }
    v |= static_cast<std::uint64_t>(*p++) << shift;
    return v;
}

}  // namespace

void DeltaLog::push_back(std::uint64_t value, std::uint32_t tag) {
    // A short log doubles (most coroutines' logs stay short: each growth is a realloc),
    // a long one grows by a quarter: a log of a long trace (the transitions of 100M events)
    // would otherwise hold up to twice its bytes.
    if (m_bytes.capacity() - m_bytes.size() < 10) {
        const std::size_t n = m_bytes.size();
        m_bytes.reserve(n < 4096 ? 2 * n + 32 : n + n / 4);
    }
    if (m_size % block_size == 0) {
        m_blocks.push_back(Block{value, static_cast<std::uint32_t>(m_bytes.size()),
                                 static_cast<std::uint32_t>(m_marked)});
        m_last = value;
    }
    put_varint(m_bytes, ((value - m_last) << m_tag_bits) | tag);
    m_last = value;
    m_last_tag = tag;
    ++m_size;
    m_marked += tag != 0 ? 1 : 0;
}

void DeltaLog::decode(std::size_t block, Decoded& out) const noexcept {
    out.block = block;
    out.first = block * block_size;
    out.count = std::min(block_size, m_size - out.first);
    out.first_marked = m_blocks[block].marked;
    const std::uint8_t* p = m_bytes.data() + m_blocks[block].offset;
    std::uint64_t value = m_blocks[block].first;
    const std::uint64_t tag_mask = (std::uint64_t{1} << m_tag_bits) - 1;
    std::size_t marks = 0;
    for (std::size_t k = 0; k < out.count; ++k) {
        const std::uint64_t v = get_varint(p);
        value += v >> m_tag_bits;
        const auto tag = static_cast<std::uint32_t>(v & tag_mask);
        out.entries[k] = Entry{value, tag};
        out.marked[marks] = static_cast<std::uint8_t>(k);
        marks += tag != 0 ? 1 : 0;
    }
    out.marks = marks;
}

DeltaLog::Entry DeltaLog::operator[](std::size_t i) const noexcept {
    const std::size_t block = i / block_size;
    const std::uint8_t* p = m_bytes.data() + m_blocks[block].offset;
    std::uint64_t value = m_blocks[block].first;
    std::uint64_t v = 0;
    for (std::size_t k = 0; k <= i % block_size; ++k) {
        v = get_varint(p);
        value += v >> m_tag_bits;
    }
    return Entry{value, static_cast<std::uint32_t>(v & ((std::uint64_t{1} << m_tag_bits) - 1))};
}

DeltaLog::Entry DeltaLog::at(std::size_t i, Decoded& cache) const noexcept {
    const std::size_t block = i / block_size;
    if (cache.block != block) decode(block, cache);
    return cache.entries[i - cache.first];
}

DeltaLog::Entry DeltaLog::marked_at(std::size_t j, Decoded& cache) const noexcept {
    if (cache.block == npos || j < cache.first_marked || j >= cache.first_marked + cache.marks) {
        // The last block with at most `j` marked entries before it holds marked entry j.
        const auto it = std::partition_point(m_blocks.begin(), m_blocks.end(),
                                             [&](const Block& b) { return b.marked <= j; });
        decode(static_cast<std::size_t>(it - m_blocks.begin()) - 1, cache);
    }
    return cache.entries[cache.marked[j - cache.first_marked]];
}

std::size_t DeltaLog::marked_before(std::size_t i) const noexcept {
    if (i >= m_size) return m_marked;
    Decoded d;
    decode(i / block_size, d);
    std::size_t n = d.first_marked;
    for (std::size_t k = 0; k < i - d.first; ++k) n += d.entries[k].tag != 0 ? 1 : 0;
    return n;
}

// The first block whose first value is > `value` (>= when `or_equal`).
std::size_t DeltaLog::first_block_above(std::uint64_t value, bool or_equal) const noexcept {
    const auto it = std::partition_point(m_blocks.begin(), m_blocks.end(), [&](const Block& b) {
        return or_equal ? b.first < value : b.first <= value;
    });
    return static_cast<std::size_t>(it - m_blocks.begin());
}

std::size_t DeltaLog::lower_bound(std::uint64_t value) const noexcept {
    if (m_size == 0 || m_last < value) return m_size;
    const std::size_t above = first_block_above(value, true);
    if (above == 0) return 0;
    Decoded d;
    decode(above - 1, d);
    for (std::size_t k = 0; k < d.count; ++k) {
        if (d.entries[k].value >= value) return d.first + k;
    }
    return d.first + d.count;
}

std::size_t DeltaLog::upper_bound(std::uint64_t value) const noexcept {
    if (m_size == 0 || m_last <= value) return m_size;
    const std::size_t above = first_block_above(value, false);
    if (above == 0) return 0;
    Decoded d;
    decode(above - 1, d);
    for (std::size_t k = 0; k < d.count; ++k) {
        if (d.entries[k].value > value) return d.first + k;
    }
    return d.first + d.count;
}

void DeltaLog::drop_below(std::uint64_t value) {
    const std::size_t from = lower_bound(value);
    if (from == 0) return;
    DeltaLog kept{m_tag_bits};
    Decoded d;
    for (std::size_t i = from; i < m_size; ++i) {
        const Entry e = at(i, d);
        kept.push_back(e.value, e.tag);
    }
    *this = std::move(kept);
}

void DeltaLog::shrink_to_fit() {
    m_bytes.shrink_to_fit();
    m_blocks.shrink_to_fit();
}

void DeltaLog::clear() noexcept {
    m_bytes.clear();
    m_blocks.clear();
    m_size = 0;
    m_marked = 0;
    m_last = 0;
    m_last_tag = 0;
}

std::size_t DeltaLog::memory_bytes() const noexcept {
    return m_bytes.capacity() + m_blocks.capacity() * sizeof(Block);
}

}  // namespace cogen::viz

// EventColumns: packing a block of events column by column, and reading one back.
#include "cogen/viz/event_columns.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace cogen::viz {
namespace {

static_assert(std::endian::native == std::endian::little,
              "offsets are stored as the low bytes of a 64-bit value");

std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// The columns of one event, in a fixed order. seq is stored minus its row (a
// gapless block of seqs packs into zero bytes).
std::array<std::uint64_t, 11> split(const TraceEvent& e, std::size_t row) noexcept {
    return {e.seq - row,  e.t_ns,  static_cast<std::uint64_t>(e.kind),
            zigzag(e.fd), e.coro,  e.op,
            e.op_type,    e.text,  zigzag(e.a),
            zigzag(e.b),  e.target};
}

// Reads `w` (0-8) little-endian bytes as one 8-byte load (blocks carry 8 bytes of
// padding) and a mask: no variable-length copy on the replay path.
std::uint64_t load(const std::uint8_t* p, std::uint8_t w) noexcept {
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return w >= 8 ? v : v & ((std::uint64_t{1} << (8 * w)) - 1);  // w = 0: 0
}

std::uint8_t width_for(std::uint64_t span) noexcept {
    return static_cast<std::uint8_t>((std::bit_width(span) + 7) / 8);
}

}  // namespace

void EventColumns::push_back(const TraceEvent& event) {
    if (m_tail.empty()) m_tail.reserve(block_size);
    m_tail.push_back(event);
    ++m_size;
    if (m_tail.size() == block_size) seal();
}

void EventColumns::seal() {
    Block b;
    std::array<std::uint64_t, columns> hi{};
    b.base.fill(~std::uint64_t{0});
    for (std::size_t row = 0; row < m_tail.size(); ++row) {
        const auto v = split(m_tail[row], row);
        for (std::size_t c = 0; c < columns; ++c) {
            b.base[c] = std::min(b.base[c], v[c]);
            hi[c] = std::max(hi[c], v[c]);
        }
    }
    std::size_t row_bytes = 0;
    for (std::size_t c = 0; c < columns; ++c) {
        b.width[c] = width_for(hi[c] - b.base[c]);
        b.at[c] = static_cast<std::uint8_t>(row_bytes);
        row_bytes += b.width[c];
    }
    b.row_bytes = static_cast<std::uint8_t>(row_bytes);
    // Row-major: one event's fields are adjacent (one cache line to decode it).
    b.bytes.resize(row_bytes * block_size + sizeof(std::uint64_t));  // + load()'s padding
    for (std::size_t row = 0; row < m_tail.size(); ++row) {
        const auto v = split(m_tail[row], row);
        std::uint8_t* out = b.bytes.data() + row * row_bytes;
        for (std::size_t c = 0; c < columns; ++c) {
            // All 8 bytes, little-endian: the low `width` are the offset, the rest land on
            // the next columns (written after it), the next row or the padding.
            const std::uint64_t off = v[c] - b.base[c];
            std::memcpy(out + b.at[c], &off, sizeof off);
        }
    }
    m_packed_bytes += b.bytes.capacity();
    m_block_seq.push_back(m_tail.front().seq);
    m_blocks.push_back(std::move(b));
    m_tail.clear();
}

std::uint64_t EventColumns::field(const Block& b, std::size_t row,
                                  std::size_t column) const noexcept {
    const std::uint8_t w = b.width[column];
    if (w == 0) return b.base[column];
    return b.base[column] + load(b.bytes.data() + row * b.row_bytes + b.at[column], w);
}

TraceEvent EventColumns::operator[](std::size_t i) const noexcept {
    const std::size_t at = i + m_front;
    const std::size_t block = at / block_size;
    const std::size_t row = at % block_size;
    if (block >= m_blocks.size()) return m_tail[row];
    const Block& b = m_blocks[block];
    std::array<std::uint64_t, columns> v{};
    const std::uint8_t* p = b.bytes.data() + row * b.row_bytes;
    for (std::size_t c = 0; c < columns; ++c) v[c] = b.base[c] + load(p + b.at[c], b.width[c]);
    TraceEvent e;
    e.seq = v[0] + row;
    e.t_ns = v[1];
    e.kind = static_cast<EventKind>(v[2]);
    e.fd = static_cast<std::int32_t>(unzigzag(v[3]));
    e.coro = v[4];
    e.op = v[5];
    e.op_type = static_cast<std::uint32_t>(v[6]);
    e.text = static_cast<std::uint32_t>(v[7]);
    e.a = unzigzag(v[8]);
    e.b = unzigzag(v[9]);
    e.target = v[10];
    return e;
}

std::uint64_t EventColumns::column(std::size_t i, std::size_t column) const noexcept {
    const std::size_t at = i + m_front;
    const std::size_t block = at / block_size;
    const std::size_t row = at % block_size;
    if (block < m_blocks.size()) return field(m_blocks[block], row, column);
    const TraceEvent& e = m_tail[row];
    switch (column) {
        case 1:
            return e.t_ns;
        case 4:
            return e.coro;
        default:
            return e.op;
    }
}

std::uint64_t EventColumns::seq(std::size_t i) const noexcept {
    const std::size_t at = i + m_front;
    const std::size_t block = at / block_size;
    const std::size_t row = at % block_size;
    if (block >= m_blocks.size()) return m_tail[row].seq;
    return field(m_blocks[block], row, 0) + row;
}

EventColumns::Brief EventColumns::brief(std::size_t i) const noexcept {
    const std::size_t at = i + m_front;
    const std::size_t block = at / block_size;
    const std::size_t row = at % block_size;
    if (block >= m_blocks.size()) {
        const TraceEvent& e = m_tail[row];
        return {e.kind, e.coro, e.b};
    }
    const Block& b = m_blocks[block];
    return {static_cast<EventKind>(field(b, row, 2)), field(b, row, 4), unzigzag(field(b, row, 9))};
}

std::size_t EventColumns::count_upto(std::uint64_t seq) const noexcept {
    // The block holding the last event with seq <= `seq`: the last block starting at or
    // before it, or the tail.
    const auto after = std::upper_bound(m_block_seq.begin(), m_block_seq.end(), seq);
    const std::size_t block = static_cast<std::size_t>(after - m_block_seq.begin());
    std::size_t lo = 0;
    std::size_t hi = 0;  // rows of that block to search, as absolute positions
    if (block < m_blocks.size() || m_tail.empty() || m_tail.front().seq > seq) {
        if (block == 0) return 0;
        const Block& b = m_blocks[block - 1];
        const std::size_t first = (block - 1) * block_size;
        if (b.width[0] == 0) {  // gapless: seq = base + row
            const std::uint64_t row = std::min<std::uint64_t>(seq - b.base[0], block_size - 1);
            lo = first + static_cast<std::size_t>(row) + 1;
            return lo > m_front ? lo - m_front : 0;
        }
        lo = first;
        hi = first + block_size;
    } else {
        lo = m_blocks.size() * block_size;
        hi = lo + m_tail.size();
    }
    while (lo < hi) {  // first position whose seq > `seq`
        const std::size_t mid = lo + (hi - lo) / 2;
        const std::size_t block_of = mid / block_size;
        const std::size_t row = mid % block_size;
        const std::uint64_t s =
            block_of < m_blocks.size() ? field(m_blocks[block_of], row, 0) + row : m_tail[row].seq;
        if (s <= seq) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo > m_front ? lo - m_front : 0;
}

void EventColumns::drop_front(std::size_t n) {
    n = std::min(n, m_size);
    const std::size_t at = m_front + n;
    const std::size_t whole = std::min(at / block_size, m_blocks.size());
    for (std::size_t i = 0; i < whole; ++i) m_packed_bytes -= m_blocks[i].bytes.capacity();
    m_blocks.erase(m_blocks.begin(), m_blocks.begin() + static_cast<std::ptrdiff_t>(whole));
    m_block_seq.erase(m_block_seq.begin(),
                      m_block_seq.begin() + static_cast<std::ptrdiff_t>(whole));
    // The rest of the first block (sealed, or the tail) stays, skipped by m_front.
    m_front = at - whole * block_size;
    m_size -= n;
}

void EventColumns::clear() {
    *this = EventColumns{};
}

std::size_t EventColumns::memory_bytes() const noexcept {
    return m_blocks.size() * sizeof(Block) + m_block_seq.capacity() * 8 + m_packed_bytes +
           m_tail.capacity() * sizeof(TraceEvent);
}

}  // namespace cogen::viz

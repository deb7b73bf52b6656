// EventColumns: TraceModel's events by columns, packed by blocks of 256: each
// field of a block is stored as its offset from the block's smallest value, in
// the fewest bytes (0 to 8) that hold every offset of the block. The
// usual trace costs 12-20 bytes per event instead of TraceEvent's 72, and any
// event is still one index away (no decoding from the start of anything).
// EventsView: what TraceModel::events() returns, a random-access range of
// TraceEvent values decoded on access.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <vector>

#include "cogen/instrument.hpp"
#include "cogen/viz/index_iterator.hpp"

namespace cogen::viz {

/// Events in packed columns; append-only, plus dropping a prefix.
///
///     EventColumns c;
///     c.push_back(e);
///     TraceEvent back = c[c.size() - 1];   // equal to e
class EventColumns {
  public:
    using value_type = TraceEvent;  // what operator[] decodes (IndexIterator)
    static constexpr std::size_t block_size = 256;

    void push_back(const TraceEvent& event);
    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }
    /// The event at index `i` (< size()).
    TraceEvent operator[](std::size_t i) const noexcept;
    /// Only its seq (binary searches), cheaper than operator[].
    std::uint64_t seq(std::size_t i) const noexcept;
    /// Only its time, coroutine or op (one column each).
    std::uint64_t t_ns(std::size_t i) const noexcept { return column(i, 1); }
    std::uint64_t coro(std::size_t i) const noexcept { return column(i, 4); }
    std::uint64_t op(std::size_t i) const noexcept { return column(i, 5); }
    /// Only its kind, coroutine and `b` (scans over millions of events, such as the stall
    /// detector's runs: three columns instead of eleven).
    struct Brief {
        EventKind kind = EventKind::sched_note;
        std::uint64_t coro = 0;
        std::int64_t b = 0;
    };
    Brief brief(std::size_t i) const noexcept;
    /// How many events have seq <= `seq` (seqs ascend): a search over the blocks'
    /// first seqs, then inside one block (none when its seqs have no gaps).
    std::size_t count_upto(std::uint64_t seq) const noexcept;
    /// Forgets the first `n` events (a bounded window's trim).
    void drop_front(std::size_t n);
    void clear();
    /// Approximate heap bytes held.
    std::size_t memory_bytes() const noexcept;

  private:
    static constexpr std::size_t columns = 11;
    struct Block {
        std::vector<std::uint8_t> bytes;  // row after row, exactly sized (+ 8 padding)
        std::array<std::uint64_t, columns> base{};
        std::array<std::uint8_t, columns> width{};
        std::array<std::uint8_t, columns> at{};  // each column's offset inside a row
        std::uint8_t row_bytes = 0;
    };
    void seal();  // packs m_tail into a block
    std::uint64_t column(std::size_t i, std::size_t column) const noexcept;
    std::uint64_t field(const Block& b, std::size_t row, std::size_t column) const noexcept;

    // Not a vector: a 100M-event trace's 50 MB of them moved at each doubling.
    std::deque<Block> m_blocks;
    std::vector<std::uint64_t> m_block_seq;  // seq of each block's first row
    std::size_t m_packed_bytes = 0;          // the blocks' bytes
    std::vector<TraceEvent> m_tail;          // the last, unsealed block, as is
    std::size_t m_front = 0;                 // events of the first block already dropped
    std::size_t m_size = 0;
};

/// A random-access range over a TraceModel's events; elements are TraceEvent
/// values (bind them to `const TraceEvent&` or copy them; no address is stable).
///
///     for (const TraceEvent& e : model.events()) ...
///     TraceEvent e = model.events()[i];
class EventsView {
  public:
    using iterator = IndexIterator<EventColumns>;

    explicit EventsView(const EventColumns& columns) noexcept : m_columns(&columns) {}
    std::size_t size() const noexcept { return m_columns->size(); }
    bool empty() const noexcept { return m_columns->empty(); }
    TraceEvent operator[](std::size_t i) const noexcept { return (*m_columns)[i]; }
    TraceEvent front() const noexcept { return (*m_columns)[0]; }
    TraceEvent back() const noexcept { return (*m_columns)[size() - 1]; }
    iterator begin() const noexcept { return {m_columns, 0}; }
    iterator end() const noexcept { return {m_columns, size()}; }
    std::reverse_iterator<iterator> rbegin() const noexcept { return std::reverse_iterator{end()}; }
    std::reverse_iterator<iterator> rend() const noexcept { return std::reverse_iterator{begin()}; }

    /// Only the event's kind, coroutine and `b` (EventColumns::brief).
    EventColumns::Brief brief(std::size_t i) const noexcept { return m_columns->brief(i); }

  private:
    const EventColumns* m_columns;
};

}  // namespace cogen::viz

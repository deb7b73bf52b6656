// TimerHeap: the scheduler's deadlines, a 4-ary min-heap of operations keyed
// by (deadline, arming order). Removal is by identity: each op's TimerSlot
// knows its index (cogen removed by deadline equality and could cancel the
// wrong op).
//
// Why 4-ary with 16-byte entries: a node's four children fill one 64-byte
// cache line, and the tree is half as deep as a binary one, so a pop moves
// half as many entries — and every moved entry costs a write to its op's
// heap_index, a cache miss into some coroutine frame. The arming order,
// which keeps equal deadlines first-in first-out, lives in the op's slot and
// is only read when two deadlines are equal.
#pragma once
#include <cstdint>
#include <vector>

#include "cogen/operation.hpp"

namespace cogen::detail {

class TimerHeap {
  public:
    /// Arms `op` at `deadline` (scheduler ns). Re-arming moves it.
    void push(Operation& op, std::int64_t deadline);
    /// Disarms `op`; no effect if it is not armed.
    void remove(Operation& op) noexcept;
    bool empty() const noexcept { return m_entries.empty(); }
    std::size_t size() const noexcept { return m_entries.size(); }
    /// The deadline `op` is armed at; `op` must be armed.
    std::int64_t deadline(const Operation& op) const noexcept {
        return m_entries[op.m_timer.heap_index].deadline;
    }
    /// Earliest deadline; heap must not be empty.
    std::int64_t earliest() const noexcept { return m_entries.front().deadline; }
    Operation& top() const noexcept { return *m_entries.front().op; }
    /// Removes and returns the earliest op.
    Operation& pop() noexcept;

    /// TimerSlot access for the scheduler (Operation befriends Scheduler only).
    static TimerSlot& slot(Operation& op) noexcept;

  private:
    static constexpr std::size_t arity = 4;
    struct Entry {
        std::int64_t deadline;
        Operation* op;
    };
    static bool less(const Entry& x, const Entry& y) noexcept {
        if (x.deadline != y.deadline) return x.deadline < y.deadline;
        return x.op->m_timer.order < y.op->m_timer.order;  // equal deadlines: FIFO
    }
    /// Stores `e` at `i` and tells its op where it is.
    void put(std::size_t i, const Entry& e) noexcept {
        m_entries[i] = e;
        e.op->m_timer.heap_index = static_cast<std::uint32_t>(i);
    }
    void sift_up(std::size_t i, Entry e) noexcept;    // `e` goes to `i` or above
    void sift_down(std::size_t i, Entry e) noexcept;  // `e` goes to `i` or below

    std::vector<Entry> m_entries;
    std::uint64_t m_order = 0;
};

}  // namespace cogen::detail

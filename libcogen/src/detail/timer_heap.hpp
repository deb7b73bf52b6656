// TimerHeap: the scheduler's deadlines, a binary min-heap of operations keyed
// by (deadline, insertion order). Removal is by identity: each op knows its
// index (cogen removed by deadline equality and could cancel the wrong op).
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
    /// Earliest deadline; heap must not be empty.
    std::int64_t earliest() const noexcept { return m_entries.front().deadline; }
    Operation& top() const noexcept { return *m_entries.front().op; }
    /// Removes and returns the earliest op.
    Operation& pop() noexcept;

    /// TimerSlot access for the scheduler (Operation befriends Scheduler only).
    static TimerSlot& slot(Operation& op) noexcept;

  private:
    struct Entry {
        std::int64_t deadline;
        std::uint64_t order;
        Operation* op;
    };
    static bool less(const Entry& x, const Entry& y) noexcept {
        return x.deadline < y.deadline || (x.deadline == y.deadline && x.order < y.order);
    }
    void place(std::size_t i) noexcept;
    void sift_up(std::size_t i) noexcept;
    void sift_down(std::size_t i) noexcept;

    std::vector<Entry> m_entries;
    std::uint64_t m_order = 0;
};

}  // namespace cogen::detail

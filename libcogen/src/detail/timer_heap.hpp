// TimerHeap: the scheduler's deadlines, a 4-ary min-heap of compact nodes keyed
// by (deadline, arming order). Removal is by identity: an armed op holds its
// node's index (cogen removed by deadline equality and could cancel the wrong op).
//
// The timer state lives here, not in the operation: a node is 32 bytes
// (deadline, arming order with the weak flag, the op, the timeout's length),
// and an op carries only its 4-byte index, so the ops that never arm a
// deadline (most parked I/O) carry no timer state at all. The arming order
// keeps equal deadlines first-in first-out and sits in the node, so a tie
// never reads the op. A 4-ary tree is half as deep as a binary one: a pop
// moves half as many nodes, and every moved node costs a write to its op's
// index.
#pragma once
#include <cstdint>
#include <vector>

#include "cogen/operation.hpp"

namespace cogen::detail {

class TimerHeap {
  public:
    /// One armed deadline.
    struct Node {
        std::int64_t deadline;  // scheduler ns
        std::uint64_t order;    // arming order << 1 | weak
        Operation* op;
        std::int64_t length;  // the timeout's length, ns (weak re-arming, traces)
        bool weak() const noexcept { return (order & 1u) != 0; }
    };

    /// Arms `op` at `deadline` (scheduler ns). Re-arming moves it. `length`
    /// is the timeout's length (traces; a weak timeout's window).
    void push(Operation& op, std::int64_t deadline, std::int64_t length = 0, bool weak = false);
    /// Disarms `op`; no effect if it is not armed.
    void remove(Operation& op) noexcept {
        if (armed(op)) remove_at(op.m_timer_index);
    }
    static bool armed(const Operation& op) noexcept {
        return op.m_timer_index != Operation::no_timer;
    }
    /// A weak timeout's op made progress at `now`: its deadline moves to
    /// now + length. No effect on an unarmed op or a strong timeout.
    void progress(Operation& op, std::int64_t now) noexcept;
    bool empty() const noexcept { return m_nodes.empty(); }
    std::size_t size() const noexcept { return m_nodes.size(); }
    /// The deadline `op` is armed at; `op` must be armed.
    std::int64_t deadline(const Operation& op) const noexcept {
        return m_nodes[op.m_timer_index].deadline;
    }
    /// Earliest deadline; heap must not be empty.
    std::int64_t earliest() const noexcept { return m_nodes.front().deadline; }
    Operation& top() const noexcept { return *m_nodes.front().op; }
    /// Removes and returns the earliest node.
    Node pop() noexcept {
        const Node n = m_nodes.front();
        remove_at(0);
        return n;
    }

  private:
    static constexpr std::size_t arity = 4;
    static bool less(const Node& x, const Node& y) noexcept {
        if (x.deadline != y.deadline) return x.deadline < y.deadline;
        return x.order < y.order;  // equal deadlines: first armed first
    }
    /// Stores `n` at `i` and tells its op where it is.
    void put(std::size_t i, const Node& n) noexcept {
        m_nodes[i] = n;
        n.op->m_timer_index = static_cast<std::uint32_t>(i);
    }
    void remove_at(std::size_t i) noexcept;
    void place(std::size_t i, const Node& n) noexcept;  // `n` goes to `i`, above or below
    void sift_up(std::size_t i, Node n) noexcept;       // `n` goes to `i` or above
    void sift_down(std::size_t i, Node n) noexcept;     // `n` goes to `i` or below

    std::vector<Node> m_nodes;
    std::uint64_t m_order = 0;
};

}  // namespace cogen::detail

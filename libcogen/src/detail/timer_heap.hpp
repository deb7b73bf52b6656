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
//
// A node's target is an op (a coroutine's timeout or Sleep) or a callback timer's
// slot (Scheduler::call_later), told apart by the pointer's low bit; both keep
// the index of their node, so either is removed by identity.
#pragma once
#include <cstdint>
#include <vector>

#include "cogen/callback_timer.hpp"
#include "cogen/operation.hpp"

namespace cogen::detail {

class TimerHeap {
  public:
    /// One armed deadline.
    struct Node {
        std::int64_t deadline;  // scheduler ns
        std::uint64_t order;    // arming order << 1 | weak
        std::uintptr_t target;  // an Operation*, or a CallbackSlot* | 1
        std::int64_t length;    // the timeout's length, ns (weak re-arming, traces)
        bool weak() const noexcept { return (order & 1u) != 0; }
        /// The op whose deadline this is; nullptr for a callback timer.
        Operation* op() const noexcept {
            return target & 1u ? nullptr : reinterpret_cast<Operation*>(target);
        }
        /// The callback timer whose deadline this is; nullptr for an op.
        CallbackSlot* callback() const noexcept {
            return target & 1u ? reinterpret_cast<CallbackSlot*>(target - 1) : nullptr;
        }
        /// Where the node's owner keeps the node's index.
        std::uint32_t& index_slot() const noexcept {
            return target & 1u ? reinterpret_cast<CallbackSlot*>(target - 1)->timer_index
                               : reinterpret_cast<Operation*>(target)->m_timer_index;
        }
    };

    /// Arms `op` at `deadline` (scheduler ns). Re-arming moves it. `length`
    /// is the timeout's length (traces; a weak timeout's window).
    void push(Operation& op, std::int64_t deadline, std::int64_t length = 0, bool weak = false);
    /// Arms the callback timer `slot` at `deadline` (never weak; never re-armed).
    void push(CallbackSlot& slot, std::int64_t deadline);
    /// Disarms `slot`; no effect if it is not armed.
    void remove(CallbackSlot& slot) noexcept {
        if (slot.timer_index != CallbackSlot::no_timer) remove_at(slot.timer_index);
    }
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
    /// The arming order of the earliest node (compare with arming_count()).
    std::uint64_t earliest_order() const noexcept { return m_nodes.front().order >> 1; }
    /// How many armings so far: a node armed later has an order at or above this.
    std::uint64_t arming_count() const noexcept { return m_order; }
    /// A callback timer's slot among the nodes (the last one), nullptr when none is armed.
    CallbackSlot* any_callback() const noexcept;
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
        n.index_slot() = static_cast<std::uint32_t>(i);
    }
    void remove_at(std::size_t i) noexcept;
    void place(std::size_t i, const Node& n) noexcept;  // `n` goes to `i`, above or below
    void sift_up(std::size_t i, Node n) noexcept;       // `n` goes to `i` or above
    void sift_down(std::size_t i, Node n) noexcept;     // `n` goes to `i` or below

    std::vector<Node> m_nodes;
    std::uint64_t m_order = 0;
};

}  // namespace cogen::detail

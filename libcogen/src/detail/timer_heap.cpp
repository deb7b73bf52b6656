// TimerHeap: an indexed 4-ary heap of nodes; each armed op holds its node's
// position. Children of i are 4i+1 .. 4i+4; the parent of i is (i-1)/4.
// Sifting moves a "hole" instead of swapping: each node on the way is written once.
#include "detail/timer_heap.hpp"

namespace cogen::detail {

static_assert(Operation::no_timer == CallbackSlot::no_timer,
              "remove_at() writes one value to both");

void TimerHeap::push(Operation& op, std::int64_t deadline, std::int64_t length, bool weak) {
    const Node n{deadline, (m_order++ << 1) | (weak ? 1u : 0u),
                 reinterpret_cast<std::uintptr_t>(&op), length};
    if (armed(op)) {
        place(op.m_timer_index, n);  // re-arming: the node moves from where it is
        return;
    }
    m_nodes.push_back(n);
    sift_up(m_nodes.size() - 1, n);
}

void TimerHeap::push(CallbackSlot& slot, std::int64_t deadline) {
    const Node n{deadline, m_order++ << 1, reinterpret_cast<std::uintptr_t>(&slot) | 1u, 0};
    m_nodes.push_back(n);
    sift_up(m_nodes.size() - 1, n);
}

CallbackSlot* TimerHeap::any_callback() const noexcept {
    for (std::size_t i = m_nodes.size(); i-- > 0;) {
        if (CallbackSlot* slot = m_nodes[i].callback()) return slot;
    }
    return nullptr;
}

void TimerHeap::progress(Operation& op, std::int64_t now) noexcept {
    if (!armed(op)) return;
    const Node& n = m_nodes[op.m_timer_index];
    if (!n.weak()) return;
    // A weak timeout's deadline is the last progress plus its length; it is
    // re-armed (a later arming order) as if awaited again.
    place(op.m_timer_index, Node{now + n.length, (m_order++ << 1) | 1u, n.target, n.length});
}

void TimerHeap::remove_at(std::size_t i) noexcept {
    m_nodes[i].index_slot() = Operation::no_timer;  // (CallbackSlot::no_timer: the same value)
    const Node last = m_nodes.back();
    m_nodes.pop_back();
    if (i == m_nodes.size()) return;  // it was the last node
    place(i, last);                   // the last node fills the hole at i
}

void TimerHeap::place(std::size_t i, const Node& n) noexcept {
    if (i > 0 && less(n, m_nodes[(i - 1) / arity])) {
        sift_up(i, n);
    } else {
        sift_down(i, n);
    }
}

void TimerHeap::sift_up(std::size_t i, Node n) noexcept {
    while (i > 0) {
        const std::size_t parent = (i - 1) / arity;
        if (!less(n, m_nodes[parent])) break;
        put(i, m_nodes[parent]);
        i = parent;
    }
    put(i, n);
}

void TimerHeap::sift_down(std::size_t i, Node n) noexcept {
    const std::size_t size = m_nodes.size();
    for (;;) {
        const std::size_t first = arity * i + 1;
        if (first >= size) break;
        const std::size_t end = first + arity < size ? first + arity : size;
        std::size_t best = first;
        for (std::size_t c = first + 1; c < end; ++c) {
            if (less(m_nodes[c], m_nodes[best])) best = c;
        }
        if (!less(m_nodes[best], n)) break;
        put(i, m_nodes[best]);
        i = best;
    }
    put(i, n);
}

}  // namespace cogen::detail

// TimerHeap: an indexed 4-ary heap; each op's TimerSlot holds its position.
// Children of i are 4i+1 .. 4i+4; the parent of i is (i-1)/4. Sifting moves
// a "hole" instead of swapping: each entry on the way is written once.
#include "detail/timer_heap.hpp"

namespace cogen::detail {

void TimerHeap::push(Operation& op, std::int64_t deadline) {
    remove(op);
    op.m_timer.order = m_order++;
    m_entries.push_back({deadline, &op});
    sift_up(m_entries.size() - 1, {deadline, &op});
}

void TimerHeap::remove(Operation& op) noexcept {
    TimerSlot& s = op.m_timer;
    if (!s.armed()) return;
    const std::size_t i = s.heap_index;
    s.heap_index = TimerSlot::npos;
    const Entry last = m_entries.back();
    m_entries.pop_back();
    if (i == m_entries.size()) return;  // it was the last entry
    // The last entry fills the hole at i: it may belong above or below.
    if (i > 0 && less(last, m_entries[(i - 1) / arity])) {
        sift_up(i, last);
    } else {
        sift_down(i, last);
    }
}

Operation& TimerHeap::pop() noexcept {
    Operation& op = *m_entries.front().op;
    remove(op);
    return op;
}

void TimerHeap::sift_up(std::size_t i, Entry e) noexcept {
    while (i > 0) {
        const std::size_t parent = (i - 1) / arity;
        if (!less(e, m_entries[parent])) break;
        put(i, m_entries[parent]);
        i = parent;
    }
    put(i, e);
}

void TimerHeap::sift_down(std::size_t i, Entry e) noexcept {
    const std::size_t n = m_entries.size();
    for (;;) {
        const std::size_t first = arity * i + 1;
        if (first >= n) break;
        const std::size_t end = first + arity < n ? first + arity : n;
        std::size_t best = first;
        for (std::size_t c = first + 1; c < end; ++c) {
            if (less(m_entries[c], m_entries[best])) best = c;
        }
        if (!less(m_entries[best], e)) break;
        put(i, m_entries[best]);
        i = best;
    }
    put(i, e);
}

}  // namespace cogen::detail

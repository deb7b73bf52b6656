// TimerHeap: an indexed binary heap; each op's TimerSlot holds its position.
#include "detail/timer_heap.hpp"

#include <utility>

#include "cogen/scheduler.hpp"

namespace cogen::detail {

void TimerHeap::push(Operation& op, std::int64_t deadline) {
    remove(op);
    TimerSlot& s = slot(op);
    s.deadline = deadline;
    m_entries.push_back({deadline, m_order++, &op});
    place(m_entries.size() - 1);
    sift_up(m_entries.size() - 1);
}

void TimerHeap::remove(Operation& op) noexcept {
    TimerSlot& s = slot(op);
    if (!s.armed()) return;
    const std::size_t i = s.heap_index;
    s.heap_index = TimerSlot::npos;
    const std::size_t last = m_entries.size() - 1;
    if (i != last) {
        m_entries[i] = m_entries[last];
        m_entries.pop_back();
        place(i);
        sift_down(i);
        sift_up(i);
    } else {
        m_entries.pop_back();
    }
}

Operation& TimerHeap::pop() noexcept {
    Operation& op = *m_entries.front().op;
    remove(op);
    return op;
}

void TimerHeap::place(std::size_t i) noexcept {
    slot(*m_entries[i].op).heap_index = static_cast<std::uint32_t>(i);
}

void TimerHeap::sift_up(std::size_t i) noexcept {
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!less(m_entries[i], m_entries[parent])) break;
        std::swap(m_entries[i], m_entries[parent]);
        place(i);
        place(parent);
        i = parent;
    }
}

void TimerHeap::sift_down(std::size_t i) noexcept {
    const std::size_t n = m_entries.size();
    for (;;) {
        std::size_t best = i;
        const std::size_t l = 2 * i + 1, r = l + 1;
        if (l < n && less(m_entries[l], m_entries[best])) best = l;
        if (r < n && less(m_entries[r], m_entries[best])) best = r;
        if (best == i) break;
        std::swap(m_entries[i], m_entries[best]);
        place(i);
        place(best);
        i = best;
    }
}

}  // namespace cogen::detail

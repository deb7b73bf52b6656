// Callback timers: Scheduler::call_later / call_at and TimerHandle. The slot
// (detail/callback_slab.hpp) holds the callable; its deadline is a node of the
// timer heap; Scheduler::timers_phase fires it (scheduler.cpp, fire_callback).
#include "cogen/callback_timer.hpp"

#include "cogen/scheduler.hpp"
#include "detail/callback_slab.hpp"
#include "detail/timer_heap.hpp"

namespace cogen {

bool TimerHandle::cancel() noexcept {
    return m_sched && m_sched->cancel_callback(m_slot, m_id);
}

bool TimerHandle::pending() const noexcept {
    return m_sched && m_sched->callback_pending(m_slot, m_id);
}

std::size_t Scheduler::pending_callbacks() const noexcept {
    return m_callbacks->size();
}

detail::CallbackSlot& Scheduler::new_callback() {
    return m_callbacks->acquire();
}

void Scheduler::drop_callback(detail::CallbackSlot& slot) noexcept {
    m_callbacks->release(slot);
}

TimerHandle Scheduler::arm_callback(detail::CallbackSlot& slot, std::chrono::nanoseconds deadline,
                                    std::int64_t delay) {
    // Ids come from the ops' counter: a timer's id is an op id no op has.
    slot.id = ++m_next_op_id;
    try {
        m_timers->push(slot, deadline.count());
    } catch (...) {  // the heap could not grow: nothing armed, nothing kept
        slot.ops->destroy(slot);
        m_callbacks->release(slot);
        throw;
    }
    if (tracing()) {
        if (delay == unknown_delay) delay = deadline.count() - m_clock->now().count();
        emit_timer(EventKind::timer_arm, slot.id, delay, deadline.count() - m_t0);
    }
    return TimerHandle{this, slot.self, slot.id};
}

bool Scheduler::callback_pending(std::uint32_t index, std::uint64_t id) const noexcept {
    const detail::CallbackSlot* slot = m_callbacks->find(index);
    // Running or run: its node is gone (timer_index no_timer), or the slot holds another timer.
    return slot && slot->ops && slot->id == id &&
           slot->timer_index != detail::CallbackSlot::no_timer;
}

bool Scheduler::cancel_callback(std::uint32_t index, std::uint64_t id) noexcept {
    if (!callback_pending(index, id)) return false;
    detail::CallbackSlot& slot = *m_callbacks->find(index);
    m_timers->remove(slot);
    emit_timer(EventKind::timer_cancel, id, 0);
    // Its node is gone first: a destructor that arms or cancels timers sees it cancelled.
    slot.ops->destroy(slot);
    m_callbacks->release(slot);
    return true;
}

void Scheduler::drop_callbacks() noexcept {
    // One at a time: a callable's destructor may arm or cancel other timers.
    while (detail::CallbackSlot* slot = m_timers->any_callback()) {
        m_timers->remove(*slot);
        emit_timer(EventKind::timer_cancel, slot->id, 1);
        slot->ops->destroy(*slot);
        m_callbacks->release(*slot);
    }
}

}  // namespace cogen

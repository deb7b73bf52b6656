// CallbackSlab: chunked slots for callback timers, a free list through their storage.
#include "detail/callback_slab.hpp"

#include <stdexcept>

namespace cogen::detail {

CallbackSlab::~CallbackSlab() {
    for (auto& chunk : m_chunks) {
        for (std::uint32_t i = 0; i < chunk_size; ++i) {
            CallbackSlot& s = chunk[i];
            if (s.ops) s.ops->destroy(s);
        }
    }
}

void CallbackSlab::grow() {
    const std::size_t first = m_chunks.size() * chunk_size;
    if (first + chunk_size - 1 >= none) throw std::length_error("cogen: too many callback timers");
    // The slots' fields are set below; their storage is written when a callable moves in.
    m_chunks.emplace_back(new CallbackSlot[chunk_size]);
    CallbackSlot* chunk = m_chunks.back().get();
    // Thread the new slots onto the free list, lowest index first.
    for (std::uint32_t i = chunk_size; i-- > 0;) {
        CallbackSlot& s = chunk[i];
        s.ops = nullptr;
        s.timer_index = CallbackSlot::no_timer;
        s.self = static_cast<std::uint32_t>(first + i);
        next_free(s) = m_free;
        m_free = s.self;
    }
}

CallbackSlot& CallbackSlab::acquire() {
    if (m_free == none) grow();
    CallbackSlot& s = *find(m_free);
    m_free = next_free(s);
    ++m_used;
    return s;
}

void CallbackSlab::release(CallbackSlot& slot) noexcept {
    slot.ops = nullptr;
    slot.timer_index = CallbackSlot::no_timer;
    next_free(slot) = m_free;
    m_free = slot.self;
    --m_used;
}

}  // namespace cogen::detail

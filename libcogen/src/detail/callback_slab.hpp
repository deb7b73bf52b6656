// CallbackSlab: where the callback timers' slots live. Chunks of 512 slots
// (32 KiB) that never move once allocated, so a callable runs in place even
// while it arms more timers; free slots form a list threaded through their
// storage. A slot is named by its index (chunk << 9 | position).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "cogen/callback_timer.hpp"

namespace cogen::detail {

class CallbackSlab {
  public:
    CallbackSlab() = default;
    /// Destroys the callables still stored (unrun).
    ~CallbackSlab();
    CallbackSlab(const CallbackSlab&) = delete;
    CallbackSlab& operator=(const CallbackSlab&) = delete;

    /// A free slot (ops == nullptr, not armed); grows by a chunk when none is free.
    CallbackSlot& acquire();
    /// Returns `slot` to the free list; its callable must be destroyed already.
    void release(CallbackSlot& slot) noexcept;
    /// The slot at `index`, or nullptr when the slab has no such slot.
    CallbackSlot* find(std::uint32_t index) noexcept {
        const std::uint32_t chunk = index >> chunk_bits;
        return chunk < m_chunks.size() ? &m_chunks[chunk][index & (chunk_size - 1)] : nullptr;
    }
    /// Slots in use.
    std::size_t size() const noexcept { return m_used; }

  private:
    static constexpr std::uint32_t chunk_bits = 9;
    static constexpr std::uint32_t chunk_size = 1u << chunk_bits;
    static constexpr std::uint32_t none = 0xffffffffu;
    static std::uint32_t& next_free(CallbackSlot& slot) noexcept {
        return *reinterpret_cast<std::uint32_t*>(slot.storage);
    }
    void grow();

    std::vector<std::unique_ptr<CallbackSlot[]>> m_chunks;
    std::uint32_t m_free = none;  // head of the free list
    std::size_t m_used = 0;
};

}  // namespace cogen::detail

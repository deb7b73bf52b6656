// IdTable: values by coroutine id, for ids handed out in order (the runtime counts them
// up): blocks of 64 slots indexed by the id itself, so a lookup is two loads and no hash.
// Ids that would leave the blocks mostly empty (far from the others, or too spread out)
// go to a hash map instead. A value never moves once made, until erased. TraceModel keeps
// each coroutine's history in one (docs/visualizer-model.md, "Building on two cores").
#pragma once
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cogen::viz {

/// Default-constructed values by id; pointers to them stay valid until erase().
///
///     IdTable<History> table;
///     auto [h, made] = table.try_emplace(id);   // h: History*, made: new one
///     if (History* f = table.find(id)) ...
template <class T>
class IdTable {
  public:
    static constexpr std::size_t block_slots = 64;

    /// The value of `id`, or nullptr.
    T* find(std::uint64_t id) noexcept {
        if (Block* b = block_of(id); b != nullptr && (b->used >> (id % block_slots) & 1) != 0)
            return &b->slots[id % block_slots];
        if (m_sparse.empty()) return nullptr;
        auto it = m_sparse.find(id);
        return it == m_sparse.end() ? nullptr : &it->second;
    }
    const T* find(std::uint64_t id) const noexcept { return const_cast<IdTable*>(this)->find(id); }

    /// The value of `id`, made (default) if there is none; true when it was made.
    std::pair<T*, bool> try_emplace(std::uint64_t id) {
        if (T* t = find(id)) return {t, false};
        ++m_size;
        if (Block* b = dense_block_for(id)) {
            b->used |= std::uint64_t{1} << (id % block_slots);
            ++b->count;
            ++m_dense;
            return {&b->slots[id % block_slots], true};
        }
        return {&m_sparse.try_emplace(id).first->second, true};
    }

    /// Forgets `id`'s value (nothing when there is none).
    void erase(std::uint64_t id) {
        Block* b = block_of(id);
        if (b != nullptr && (b->used >> (id % block_slots) & 1) != 0) {
            b->slots[id % block_slots] = T{};
            b->used &= ~(std::uint64_t{1} << (id % block_slots));
            --m_size;
            --m_dense;
            if (--b->count == 0) release(id / block_slots);
            return;
        }
        m_size -= m_sparse.erase(id);
    }

    /// f(id, value) for every value, in no particular order.
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t k = 0; k < m_blocks.size(); ++k) {
            const Block* b = m_blocks[k].get();
            if (b == nullptr) continue;
            for (std::uint64_t used = b->used; used != 0; used &= used - 1) {
                const auto slot = static_cast<std::size_t>(std::countr_zero(used));
                f((m_first + k) * block_slots + slot, b->slots[slot]);
            }
        }
        for (const auto& [id, t] : m_sparse) f(id, t);
    }
    template <class F>
    void for_each(F&& f) {
        std::as_const(*this).for_each(
            [&](std::uint64_t id, const T& t) { f(id, const_cast<T&>(t)); });
    }
    /// Erases the values for which pred(id, value) is true.
    template <class Pred>
    void erase_if(Pred&& pred) {
        std::vector<std::uint64_t> gone;
        for_each([&](std::uint64_t id, T& t) {
            if (pred(id, t)) gone.push_back(id);
        });
        for (const std::uint64_t id : gone) erase(id);
    }

    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }
    /// Of which in the hash map (ids far from the others).
    std::size_t sparse_size() const noexcept { return m_sparse.size(); }
    /// Heap bytes held (a hash map node counted as the value and three pointers).
    std::size_t memory_bytes() const noexcept {
        return m_blocks.capacity() * sizeof(void*) + m_live * sizeof(Block) +
               m_sparse.bucket_count() * sizeof(void*) +
               m_sparse.size() * (sizeof(typename Sparse::value_type) + 3 * sizeof(void*));
    }

  private:
    struct Block {
        std::uint64_t used = 0;  // bit i: slots[i] holds a value
        std::size_t count = 0;   // bits set
        std::array<T, block_slots> slots{};
    };
    using Sparse = std::unordered_map<std::uint64_t, T>;

    Block* block_of(std::uint64_t id) const noexcept {
        const std::uint64_t k = id / block_slots - m_first;  // wraps below m_first: too big
        return k < m_blocks.size() ? m_blocks[static_cast<std::size_t>(k)].get() : nullptr;
    }

    // The block `id` goes to, made if need be; nullptr when it goes to the hash map: a new
    // block must lie near the others, and the blocks stay at least an eighth full.
    Block* dense_block_for(std::uint64_t id) {
        const std::uint64_t index = id / block_slots;
        if (Block* b = block_of(id)) return b;
        if (m_blocks.empty()) m_first = index;
        if (index < m_first) return nullptr;
        const std::uint64_t k = index - m_first;
        if (k >= m_blocks.size() + std::max<std::size_t>(16, m_live)) return nullptr;
        if (m_live >= 4 && m_dense * 8 < m_live * block_slots) return nullptr;
        if (k >= m_blocks.size()) m_blocks.resize(static_cast<std::size_t>(k) + 1);
        m_blocks[static_cast<std::size_t>(k)] = std::make_unique<Block>();
        ++m_live;
        return m_blocks[static_cast<std::size_t>(k)].get();
    }

    // Frees an empty block; blocks at the front that are gone leave the vector (a bounded
    // window forgets the oldest coroutines: the table follows the ids up).
    void release(std::uint64_t index) {
        m_blocks[static_cast<std::size_t>(index - m_first)].reset();
        --m_live;
        std::size_t lead = 0;
        while (lead < m_blocks.size() && m_blocks[lead] == nullptr) ++lead;
        if (lead == m_blocks.size()) {
            m_blocks.clear();
            m_first = 0;
        } else if (lead * 2 >= m_blocks.size()) {
            m_blocks.erase(m_blocks.begin(), m_blocks.begin() + static_cast<std::ptrdiff_t>(lead));
            m_first += lead;
        }
    }

    std::vector<std::unique_ptr<Block>> m_blocks;  // m_blocks[k]: ids (m_first + k) * 64 ...
    std::uint64_t m_first = 0;                     // block index of m_blocks[0]
    Sparse m_sparse;
    std::size_t m_size = 0;
    std::size_t m_dense = 0;  // values in blocks
    std::size_t m_live = 0;   // blocks allocated
};

}  // namespace cogen::viz

// OpTable: the state's records keyed by op id (proactor registrations, pending timers), in op
// order. Op ids grow as the program makes ops, so a new record is nearly always the last: the
// keys are kept in one sorted array (iteration in op order, deltas between states), an erased
// record is only marked and the array compacted once half of it is marked; a small hash index
// (op -> slot, open addressing) finds a record with one probe of an array that stays in the
// cache, where a search of the keys cost a handful of mispredicted branches and a cache miss.
// A std::map did the same with a tree node per record, a cache miss per level: the reducer's
// costliest part on traces with thousands of parked ops.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

#include "cogen/viz/slot_index.hpp"

namespace cogen::viz {

/// A map from op id to T, iterated in op order.
///
///     for (const auto& [op, reg] : state.registrations) ...
///     if (const Registration* r = state.registrations.find(op)) ...
template <class T>
class OpTable {
  public:
    using value_type = std::pair<std::uint64_t, T>;

    class const_iterator {
      public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = OpTable::value_type;
        using difference_type = std::ptrdiff_t;
        using pointer = const value_type*;
        using reference = const value_type&;

        const_iterator() = default;
        reference operator*() const { return m_table->m_items[m_i]; }
        pointer operator->() const { return &m_table->m_items[m_i]; }
        const_iterator& operator++() {
            ++m_i;
            skip();
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator old = *this;
            ++*this;
            return old;
        }
        bool operator==(const const_iterator& o) const { return m_i == o.m_i; }

      private:
        friend class OpTable;
        const_iterator(const OpTable* table, std::size_t i) : m_table(table), m_i(i) { skip(); }
        void skip() {
            while (m_i < m_table->m_keys.size() && m_table->m_dead[m_i]) ++m_i;
        }
        const OpTable* m_table = nullptr;
        std::size_t m_i = 0;
    };

    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, m_keys.size()}; }
    std::size_t size() const noexcept { return m_live; }
    bool empty() const noexcept { return m_live == 0; }

    /// The record of `op`, or nullptr.
    const T* find(std::uint64_t op) const noexcept {
        const std::size_t i = slot(op);
        return i != npos ? &m_items[i].second : nullptr;
    }
    T* find(std::uint64_t op) noexcept {
        const std::size_t i = slot(op);
        return i != npos ? &m_items[i].second : nullptr;
    }
    bool contains(std::uint64_t op) const noexcept { return slot(op) != npos; }

    /// The record of `op`, made from `value` if there was none.
    T& try_emplace(std::uint64_t op, const T& value) {
        const std::size_t i = place(op);
        if (m_dead[i]) {
            m_items[i].second = value;
            m_dead[i] = 0;
            ++m_live;
        }
        return m_items[i].second;
    }
    /// Sets the record of `op` to `value`.
    void insert_or_assign(std::uint64_t op, const T& value) {
        const std::size_t i = place(op);
        m_items[i].second = value;
        if (m_dead[i]) {
            m_dead[i] = 0;
            ++m_live;
        }
    }
    /// Removes the record of `op`; returns how many were removed (0 or 1).
    std::size_t erase(std::uint64_t op) {
        const std::size_t i = slot(op);
        if (i == npos) return 0;
        m_dead[i] = 1;
        --m_live;
        // The latest ops go first: stay short (their index entries go stale: a lookup checks
        // the slot's key, and the next rebuild drops them).
        while (!m_keys.empty() && m_dead.back()) {
            m_keys.pop_back();
            m_items.pop_back();
            m_dead.pop_back();
        }
        if (m_keys.size() >= 64 && m_live * 2 < m_keys.size()) compact();
        return 1;
    }
    void clear() { *this = OpTable{}; }

    /// Approximate heap bytes held.
    std::size_t memory_bytes() const noexcept {
        return m_keys.capacity() * sizeof(std::uint64_t) + m_items.capacity() * sizeof(value_type) +
               m_dead.capacity() + m_index.memory_bytes();
    }

    /// Same records (marked ones do not count).
    friend bool operator==(const OpTable& x, const OpTable& y) {
        return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), y.end());
    }

  private:
    static constexpr std::size_t npos = SlotIndex::npos;
    // The slot holding `op`, marked or not, or npos (the index's candidates checked against
    // the records: entries whose slot was popped or moved are stale until the next reindex).
    std::size_t any_slot(std::uint64_t op) const noexcept {
        return m_index.find(
            op, [&](std::size_t i) { return i < m_items.size() && m_items[i].first == op; });
    }
    std::size_t slot(std::uint64_t op) const noexcept {
        const std::size_t i = any_slot(op);
        return i != npos && !m_dead[i] ? i : npos;
    }
    void index_add(std::uint64_t op, std::size_t i) {
        if (!m_index.has_room()) {
            reindex();  // `i` is in m_keys already: indexed with the others
            return;
        }
        m_index.put(op, i);
    }
    // Every slot indexed anew (stale entries dropped), in room for twice as many.
    void reindex() {
        m_index.reset(m_keys.size());
        for (std::size_t i = 0; i < m_keys.size(); ++i) m_index.put(m_keys[i], i);
    }
    // The index of `op`'s slot, added (marked, for the caller to fill) if missing.
    std::size_t place(std::uint64_t op) {
        if (m_keys.empty() || m_keys.back() < op) {
            m_keys.push_back(op);
            m_items.emplace_back(op, T{});
            m_dead.push_back(1);
            index_add(op, m_keys.size() - 1);
            return m_keys.size() - 1;
        }
        if (const std::size_t i = any_slot(op); i != npos) return i;
        // Rare: op ids grow, a new record is nearly always the last.
        const auto at = std::lower_bound(m_keys.begin(), m_keys.end(), op) - m_keys.begin();
        m_keys.insert(m_keys.begin() + at, op);
        m_items.insert(m_items.begin() + at, value_type{op, T{}});
        m_dead.insert(m_dead.begin() + at, 1);
        reindex();
        return static_cast<std::size_t>(at);
    }
    void compact() {
        std::size_t out = 0;
        for (std::size_t i = 0; i < m_keys.size(); ++i) {
            if (m_dead[i]) continue;
            if (out != i) {
                m_keys[out] = m_keys[i];
                m_items[out] = std::move(m_items[i]);
            }
            m_dead[out] = 0;
            ++out;
        }
        m_keys.resize(out);
        m_items.resize(out);
        m_dead.resize(out);
        reindex();
    }
    std::vector<std::uint64_t> m_keys;  // sorted; a marked slot keeps its key
    std::vector<value_type> m_items;
    std::vector<std::uint8_t> m_dead;  // 1 = erased (or not yet filled)
    SlotIndex m_index;                 // op -> slot
    std::size_t m_live = 0;
};

}  // namespace cogen::viz

// OpTable: the state's records keyed by op id (proactor registrations, pending timers), in op
// order. Op ids grow as the program makes ops, so a new record is nearly always the last: the
// keys are kept in one sorted array, with every 64th of them in a small array of fences that
// stays in the cache (a lookup searches the fences, then guesses inside one block of keys: a
// cache line or two), and an erased record is only marked, the array compacted once half of it
// is marked.
// A std::map did the same with a tree node per record, a cache miss per level: the reducer's
// costliest part on traces with thousands of parked ops.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

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
        while (!m_keys.empty() && m_dead.back()) {  // the latest ops go first: stay short
            m_keys.pop_back();
            m_items.pop_back();
            m_dead.pop_back();
        }
        m_fences.resize((m_keys.size() + fence_every - 1) / fence_every);
        if (m_keys.size() >= 64 && m_live * 2 < m_keys.size()) compact();
        return 1;
    }
    void clear() { *this = OpTable{}; }

    /// Approximate heap bytes held.
    std::size_t memory_bytes() const noexcept {
        return (m_keys.capacity() + m_fences.capacity()) * sizeof(std::uint64_t) +
               m_items.capacity() * sizeof(value_type) + m_dead.capacity();
    }

    /// Same records (marked ones do not count).
    friend bool operator==(const OpTable& x, const OpTable& y) {
        return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), y.end());
    }

  private:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    // Every fence_every-th key, in m_fences: a few kilobytes that stay in the cache while the
    // keys (and the records) do not. A lookup finds its block of keys in them, then guesses
    // the slot by the op's place between the block's first key and the next block's, and
    // steps from the guess: one or two cache lines of keys, not a search over the whole.
    static constexpr std::size_t fence_every = 64;

    // The first slot whose key is >= op.
    std::size_t lower(std::uint64_t op) const noexcept {
        const std::size_t n = m_keys.size();
        if (n == 0 || op <= m_keys.front()) return 0;
        if (op > m_keys.back()) return n;
        // m_fences[0] is the front key, < op: f >= 1, and keys[lo] < op <= keys[hi].
        const auto f = static_cast<std::size_t>(
            std::lower_bound(m_fences.begin(), m_fences.end(), op) - m_fences.begin());
        const std::size_t lo = (f - 1) * fence_every;
        const bool last = f == m_fences.size();
        const std::size_t hi = last ? n - 1 : f * fence_every;
        const std::uint64_t key_lo = m_fences[f - 1];
        const std::uint64_t key_hi = last ? m_keys.back() : m_fences[f];
        const auto ahead = static_cast<std::size_t>(static_cast<double>(op - key_lo) /
                                                    static_cast<double>(key_hi - key_lo) *
                                                    static_cast<double>(hi - lo));
        std::size_t i = std::clamp<std::size_t>(lo + ahead, lo + 1, hi);
        while (m_keys[i - 1] >= op) --i;  // stops at lo + 1: keys[lo] < op
        while (m_keys[i] < op) ++i;       // stops at hi: keys[hi] >= op
        return i;
    }
    void refence() {
        m_fences.clear();
        for (std::size_t i = 0; i < m_keys.size(); i += fence_every) m_fences.push_back(m_keys[i]);
    }
    std::size_t slot(std::uint64_t op) const noexcept {
        const std::size_t i = lower(op);
        if (i == m_keys.size() || m_keys[i] != op || m_dead[i]) return npos;
        return i;
    }
    // The index of `op`'s slot, added (marked, for the caller to fill) if missing.
    std::size_t place(std::uint64_t op) {
        if (m_keys.empty() || m_keys.back() < op) {
            if (m_keys.size() % fence_every == 0) m_fences.push_back(op);
            m_keys.push_back(op);
            m_items.emplace_back(op, T{});
            m_dead.push_back(1);
            return m_keys.size() - 1;
        }
        const std::size_t i = lower(op);
        if (m_keys[i] == op) return i;
        const auto it = m_keys.begin() + static_cast<std::ptrdiff_t>(i);
        const auto at = static_cast<std::ptrdiff_t>(i);
        m_keys.insert(it, op);
        m_items.insert(m_items.begin() + at, value_type{op, T{}});
        m_dead.insert(m_dead.begin() + at, 1);
        refence();  // rare: op ids grow, a new record is nearly always the last
        return i;
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
        refence();
    }

    std::vector<std::uint64_t> m_keys;  // sorted; a marked slot keeps its key
    std::vector<value_type> m_items;
    std::vector<std::uint8_t> m_dead;     // 1 = erased (or not yet filled)
    std::vector<std::uint64_t> m_fences;  // m_keys[0], m_keys[fence_every], ...
    std::size_t m_live = 0;
};

}  // namespace cogen::viz

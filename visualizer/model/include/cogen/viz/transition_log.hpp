// TransitionLog: which events moved their coroutine to another kind of place, as one
// 2-byte tag per event in event order (0: none; else the kinds it moved from and to), and
// how many moved before each chunk of 1024 events. TraceModel keeps the trace's
// transitions in it: appending is a store at the end (the storing thread logs one per
// event behind the replay), counting the transitions between two events is two chunk
// counts and two short scans, and listing them is a scan of the tags between the two.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cogen/viz/place.hpp"
#include "cogen/viz/pod_buffer.hpp"

namespace cogen::viz {

/// One tag per event, indexed like the model's events (0 = the first one kept).
///
///     TransitionLog log;
///     log.push(TransitionLog::none);
///     log.push(TransitionLog::tag(PlaceKind::active, PlaceKind::running));
///     log.count_between(0, 2) == 1;
///     log.for_each_between(0, 2, [](std::size_t i, PlaceKind from, PlaceKind to) { ... });
class TransitionLog {
  public:
    static constexpr std::uint16_t none = 0;
    static constexpr std::size_t chunk = 1024;

    static constexpr std::uint16_t tag(PlaceKind from, PlaceKind to) noexcept {
        return static_cast<std::uint16_t>(0x8000u | static_cast<unsigned>(from) << 5 |
                                          static_cast<unsigned>(to));
    }
    static constexpr PlaceKind from_of(std::uint16_t tag) noexcept {
        return static_cast<PlaceKind>(tag >> 5 & 31);
    }
    static constexpr PlaceKind to_of(std::uint16_t tag) noexcept {
        return static_cast<PlaceKind>(tag & 31);
    }

    /// The next event's tag (`none` when it made no transition).
    void push(std::uint16_t tag) {
        m_tags.push_back(tag);
        count(m_tags.size() - 1);
    }
    /// Events covered (one tag each).
    std::size_t size() const noexcept { return m_tags.size(); }
    std::uint16_t operator[](std::size_t i) const noexcept { return m_tags[i]; }
    /// Transitions made by events [0, i), i <= size().
    std::size_t count_before(std::size_t i) const noexcept {
        if (i >= m_tags.size()) return m_count;
        std::size_t n = m_before[i / chunk];
        for (std::size_t k = i / chunk * chunk; k < i; ++k) n += m_tags[k] != none ? 1 : 0;
        return n;
    }
    /// Transitions made by events [first, last).
    std::size_t count_between(std::size_t first, std::size_t last) const noexcept {
        return last <= first ? 0 : count_before(last) - count_before(first);
    }
    /// f(event index, from, to) for each transition made by events [first, last), in order.
    template <class F>
    void for_each_between(std::size_t first, std::size_t last, F&& f) const {
        last = std::min(last, m_tags.size());
        for (std::size_t i = first; i < last; ++i) {
            if (m_tags[i] != none) f(i, from_of(m_tags[i]), to_of(m_tags[i]));
        }
    }
    /// Forgets the first `n` events' tags (a window's trim: the rest move to the front).
    void drop_front(std::size_t n) {
        m_tags.erase_front(std::min(n, m_tags.size()));
        // The chunks start at other events now: counted anew.
        m_before.clear();
        m_count = 0;
        for (std::size_t i = 0; i < m_tags.size(); ++i) count(i);
    }
    /// Heap bytes held.
    std::size_t memory_bytes() const noexcept {
        return m_tags.capacity() * sizeof(std::uint16_t) +
               m_before.capacity() * sizeof(std::uint64_t);
    }

  private:
    // Counts tag `i`, the next one in order (a chunk's count is taken at its first tag).
    void count(std::size_t i) {
        if (i % chunk == 0) m_before.push_back(m_count);
        m_count += m_tags[i] != none ? 1 : 0;
    }

    PodBuffer<std::uint16_t> m_tags;      // grown by realloc: see pod_buffer.hpp
    std::vector<std::uint64_t> m_before;  // transitions before each chunk
    std::size_t m_count = 0;
};

}  // namespace cogen::viz

// Coroutine history: the place changes the model records while it ingests a
// trace, and the views TraceModel hands out over its packed indexes. LaneSegment
// feeds a coroutine's timeline lane; Transition feeds the token animation on the
// diagram (DiagramLayout::token_position). The model stores neither struct: a
// coroutine's events are one DeltaLog of event indexes, and its lane is the entries
// of that log marked with a place kind (tag = kind + 1; 0: the place did not change),
// the event's seq and time read from the event columns when a segment is asked for
// (docs/visualizer-model.md).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "cogen/viz/delta_log.hpp"
#include "cogen/viz/event_columns.hpp"
#include "cogen/viz/index_iterator.hpp"
#include "cogen/viz/place.hpp"

namespace cogen::viz {

/// From event `seq` on (until the next segment of the same lane), the
/// coroutine was at a place of this kind. The place's details (op, fd, label,
/// target...) are TraceModel::place_at(coro, seq).
///
///     for (LaneSegment seg : model.lane(id)) draw_bar(seg.t_ns, next_t, color(seg.kind));
struct LaneSegment {
    std::uint64_t seq = 0;
    std::uint64_t t_ns = 0;
    PlaceKind kind = PlaceKind::active;
};

/// Event `seq` moved coroutine `coro` from one kind of place to another.
/// A coroutine's first appearance has from == to.
///
///     if (auto tr = model.transition_at(seq)) animate(*tr);
struct Transition {
    std::uint64_t seq = 0;
    std::uint64_t t_ns = 0;
    std::uint64_t coro = 0;
    PlaceKind from = PlaceKind::active;
    PlaceKind to = PlaceKind::active;
};

/// A coroutine's lane (TraceModel::lane): its segments in seq order, decoded on
/// access. Reading them in order costs one block decode per 32 segments. Keep the
/// view alive while its iterators are in use.
///
///     const LaneView lane = model.lane(id);
///     for (std::size_t i = lane.upper_bound_t(t0); i < lane.size(); ++i) ...
class LaneView {
  public:
    using value_type = LaneSegment;
    using iterator = IndexIterator<LaneView>;

    LaneView() = default;
    /// `log`: the coroutine's events, (global event index, kind + 1) marking each
    /// segment's first; `before`: the segment in effect before the first event kept (a
    /// window's start), or nullptr.
    LaneView(const DeltaLog* log, const EventColumns* events, std::size_t base,
             const LaneSegment* before) noexcept
        : m_log(log), m_events(events), m_base(base), m_before(before) {}

    std::size_t size() const noexcept { return (m_before ? 1 : 0) + (m_log ? m_log->marked() : 0); }
    bool empty() const noexcept { return size() == 0; }
    LaneSegment operator[](std::size_t i) const noexcept {
        if (m_before) {
            if (i == 0) return *m_before;
            --i;
        }
        const DeltaLog::Entry e = m_log->marked_at(i, m_cache);
        const std::size_t local = static_cast<std::size_t>(e.value) - m_base;
        return {m_events->seq(local), m_events->t_ns(local), static_cast<PlaceKind>(e.tag - 1)};
    }
    LaneSegment front() const noexcept { return (*this)[0]; }
    LaneSegment back() const noexcept { return (*this)[size() - 1]; }
    iterator begin() const noexcept { return {this, 0}; }
    iterator end() const noexcept { return {this, size()}; }
    /// The first segment at or after `from` that begins after `t_ns` (size() if none).
    std::size_t upper_bound_t(std::uint64_t t_ns, std::size_t from = 0) const noexcept {
        return std::upper_bound(begin() + static_cast<std::ptrdiff_t>(from), end(), t_ns,
                                [](std::uint64_t t, const LaneSegment& s) { return t < s.t_ns; })
            .index();
    }
    /// The first segment that begins after event `seq` (size() if none).
    std::size_t upper_bound_seq(std::uint64_t seq) const noexcept {
        return std::upper_bound(begin(), end(), seq,
                                [](std::uint64_t q, const LaneSegment& s) { return q < s.seq; })
            .index();
    }

  private:
    const DeltaLog* m_log = nullptr;
    const EventColumns* m_events = nullptr;
    std::size_t m_base = 0;
    const LaneSegment* m_before = nullptr;
    mutable DeltaLog::Decoded m_cache;
};

/// The events naming a coroutine (TraceModel::events_of): indices into
/// TraceModel::events(), ascending, decoded on access.
///
///     const CoroEvents mine = model.events_of(id);
///     auto it = std::upper_bound(mine.begin(), mine.end(), index);
class CoroEvents {
  public:
    using value_type = std::size_t;
    using iterator = IndexIterator<CoroEvents>;

    CoroEvents() = default;
    CoroEvents(const DeltaLog* log, std::size_t base) noexcept : m_log(log), m_base(base) {}
    std::size_t size() const noexcept { return m_log ? m_log->size() : 0; }
    bool empty() const noexcept { return size() == 0; }
    std::size_t operator[](std::size_t i) const noexcept {
        return static_cast<std::size_t>(m_log->at(i, m_cache).value) - m_base;
    }
    std::size_t front() const noexcept { return (*this)[0]; }
    std::size_t back() const noexcept { return (*this)[size() - 1]; }
    iterator begin() const noexcept { return {this, 0}; }
    iterator end() const noexcept { return {this, size()}; }
    /// The first position whose index is >= `index` / > `index` (size() if none).
    std::size_t lower_bound(std::size_t index) const noexcept {
        return m_log ? m_log->lower_bound(index + m_base) : 0;
    }
    std::size_t upper_bound(std::size_t index) const noexcept {
        return m_log ? m_log->upper_bound(index + m_base) : 0;
    }

  private:
    const DeltaLog* m_log = nullptr;
    std::size_t m_base = 0;
    mutable DeltaLog::Decoded m_cache;
};

}  // namespace cogen::viz

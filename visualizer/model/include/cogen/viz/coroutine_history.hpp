// Coroutine history: the place changes the model records while it ingests a
// trace. LaneSegment feeds a coroutine's timeline lane; Transition feeds the
// token animation on the diagram (DiagramLayout::token_position).
#pragma once
#include <cstdint>

#include "cogen/viz/place.hpp"

namespace cogen::viz {

/// From event `seq` on (until the next segment of the same lane), the
/// coroutine was at `place`.
///
///     for (auto& seg : model.lane(id)) draw_bar(seg.t_ns, next_t, color(seg.place.kind));
struct LaneSegment {
    std::uint64_t seq = 0;
    std::uint64_t t_ns = 0;
    Place place{};
};

/// Event `seq` moved coroutine `coro` from one kind of place to another.
/// A coroutine's first appearance has from == to.
///
///     if (const Transition* tr = model.transition_at(seq)) animate(*tr);
struct Transition {
    std::uint64_t seq = 0;
    std::uint64_t t_ns = 0;
    std::uint64_t coro = 0;
    PlaceKind from = PlaceKind::active;
    PlaceKind to = PlaceKind::active;
};

}  // namespace cogen::viz

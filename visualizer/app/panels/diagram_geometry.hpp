// Diagram geometry: where the loop diagram (DiagramLayout, 1000 x 600 layout units) lands on
// screen, where every coroutine's token rests in its box, and where a moving token is. No
// ImGui here: the diagram panel draws with it and the PNG tests predict pixels with it.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "cogen/viz/diagram_layout.hpp"
#include "cogen/viz/model_state.hpp"

namespace cogen::viz {

/// A point in pixels (x right, y down).
struct ScreenPoint {
    float x = 0;
    float y = 0;
};

/// A rectangle in pixels: top-left corner and size.
struct ScreenRect {
    float x = 0;
    float y = 0;
    float w = 0;
    float h = 0;
    bool contains(ScreenPoint p) const noexcept {
        return p.x >= x && p.x <= x + w && p.y >= y && p.y <= y + h;
    }
};

/// Layout units to pixels: uniform scale, centred in a canvas with a margin.
///
///     auto tf = DiagramTransform::fit({0, 0, 1280, 800});
///     ScreenRect r = tf.to_screen(layout.box(Box::timers));
class DiagramTransform {
  public:
    static constexpr float margin = 8;

    static DiagramTransform fit(ScreenRect canvas) noexcept;

    ScreenPoint to_screen(Point p) const noexcept;
    ScreenRect to_screen(Rect r) const noexcept;
    Point to_layout(ScreenPoint p) const noexcept;
    /// Pixels per layout unit.
    float scale() const noexcept { return m_scale; }

  private:
    float m_scale = 1;
    float m_ox = 0;
    float m_oy = 0;
};

/// Where one coroutine's token rests.
struct TokenSpot {
    std::uint64_t coro = 0;
    Box box = Box::active_queue;
    std::size_t index = 0;  ///< its rank in the box (oldest arrival first)
    Point at{};             ///< rest position, layout units
    bool shown = true;      ///< false past the box's cap: counted in the box's "+N"
};

/// Every token's rest position in one state.
///
///     RestLayout rest = rest_layout(state, layout, 48);
///     for (const TokenSpot& s : rest.spots) if (s.shown) draw_token(s.at);
struct RestLayout {
    std::vector<TokenSpot> spots;                 ///< sorted by coroutine id
    std::array<std::size_t, box_count> counts{};  ///< coroutines per box
    std::size_t max_per_box = 0;
    /// Per box, a smaller cap than max_per_box where the box is too small on screen for
    /// more legible tokens (box_capacity); 0 = max_per_box.
    std::array<std::size_t, box_count> caps{};

    /// The most tokens `box` lays out (shown ones plus the "+N" slot).
    std::size_t cap(Box box) const noexcept;
    /// The spot of this coroutine, or nullptr.
    const TokenSpot* find(std::uint64_t coro) const noexcept;
    /// How many tokens of `box` are drawn (the rest are summarised as "+N").
    std::size_t shown(Box box) const noexcept;
    /// How many are summarised.
    std::size_t hidden(Box box) const noexcept;
};

/// Lays out the tokens of `state`: in each box, coroutines in order of arrival (since_seq,
/// then id) on DiagramLayout::token_slot's grid. Past `max_per_box` tokens, the first
/// max_per_box - 1 are shown and the last slot is left for the "+N" label. `queue_order`,
/// when the scheduler itself says it (in-process mode), orders the active queue's tokens:
/// a trace cannot always tell it.
/// `caps` (optional) lowers the cap of single boxes (see box_capacity).
RestLayout rest_layout(const ModelState& state, const DiagramLayout& layout,
                       std::size_t max_per_box, std::span<const std::uint64_t> queue_order = {},
                       const std::array<std::size_t, box_count>& caps = {});

/// The most tokens (at least 2: one token and the "+N" slot, at most `limit`) `box` can lay
/// out with grid cells of at least `min_cell` layout units: on a small canvas, a box shows
/// fewer tokens rather than tokens too small to carry their id.
std::size_t box_capacity(const DiagramLayout& layout, Box box, double min_cell,
                         std::size_t limit) noexcept;

/// The grid cell of a box showing `shown` tokens, in layout units: the distance between two
/// neighbouring slots across (`w`) and down (`h`; the room below the box's title when the
/// tokens form one row).
struct TokenCell {
    double w = 0;
    double h = 0;
};
TokenCell token_cell(const DiagramLayout& layout, Box box, std::size_t shown) noexcept;

/// The slot where a box's "+N" label goes (its last shown slot).
Point overflow_slot(const DiagramLayout& layout, const RestLayout& rest, Box box) noexcept;

/// Token radius in layout units for a box showing `shown` tokens: fills its grid cell,
/// at most `max_radius`.
double token_radius(const DiagramLayout& layout, Box box, std::size_t shown,
                    double max_radius = 11) noexcept;

/// A token travelling from one box to another at t01 in [0, 1]: along the diagram's edge
/// (DiagramLayout::token_position), starting at its old rest position and ending at its
/// new one.
Point moving_token(const DiagramLayout& layout, Box from, Box to, Point from_rest, Point to_rest,
                   double t01) noexcept;

}  // namespace cogen::viz

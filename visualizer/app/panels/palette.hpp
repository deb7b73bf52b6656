// Palette: one colour per place of the loop diagram, used by every view (diagram tokens
// and boxes, table cells, timeline bars), so a state looks the same everywhere. Plain RGB
// values with no ImGui include: the PNG tests compare pixels against them.
#pragma once
#include <cstdint>

#include "cogen/viz/diagram_layout.hpp"
#include "cogen/viz/place.hpp"
#include "cogen/viz/stall_finding.hpp"

namespace cogen::viz {

/// An opaque colour.
struct Rgb {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
    bool operator==(const Rgb&) const = default;
};

/// The window background and the neutral colours of the diagram.
inline constexpr Rgb background_rgb{24, 26, 33};
inline constexpr Rgb box_fill_rgb{34, 38, 48};
inline constexpr Rgb edge_rgb{150, 156, 170};
inline constexpr Rgb text_rgb{225, 228, 235};
inline constexpr Rgb dim_text_rgb{150, 155, 165};
inline constexpr Rgb selection_rgb{255, 255, 255};
inline constexpr Rgb cycle_rgb{255, 70, 70};

/// The colour of a coroutine at this kind of place.
///
///     draw_token(at, place_rgb(coro.place.kind));
Rgb place_rgb(PlaceKind kind) noexcept;
/// The colour of a stall finding's kind (stall view, inspector).
Rgb finding_rgb(FindingKind kind) noexcept;

/// The border colour of a diagram box: the colour of the places it holds.
Rgb box_rgb(Box box) noexcept;

/// ImGui's packed colour (IM_COL32 layout: 0xAABBGGRR).
constexpr std::uint32_t packed(Rgb c, std::uint8_t alpha = 255) noexcept {
    return static_cast<std::uint32_t>(c.r) | (static_cast<std::uint32_t>(c.g) << 8) |
           (static_cast<std::uint32_t>(c.b) << 16) | (static_cast<std::uint32_t>(alpha) << 24);
}

/// The same colour scaled towards black (f < 1) or towards white (f > 1).
Rgb shade(Rgb c, double f) noexcept;

/// Black or white, whichever reads better on `c`.
Rgb text_on(Rgb c) noexcept;

}  // namespace cogen::viz

// Theme: the look of cogen-viz — ImGui's dark style tuned to the palette, and a TrueType font
// from the system when one is installed (ImGui's built-in bitmap font otherwise).
#pragma once

namespace cogen::viz {

/// Applies the style and loads the font into the current ImGui context.
void apply_theme();

}  // namespace cogen::viz

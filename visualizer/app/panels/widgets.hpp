// Widgets shared by the panels: coloured place chips, clickable coroutine names, text with a
// tooltip. Small ImGui helpers, no state of their own (the words come from event_text.hpp).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "cogen/viz/coroutine_state.hpp"
#include "cogen/viz/event_text.hpp"
#include "cogen/viz/trace_model.hpp"
#include "palette.hpp"
#include "view_state.hpp"

struct ImVec4;

namespace cogen::viz {

/// The palette colour as ImGui's float colour.
ImVec4 to_vec4(Rgb c, float alpha = 1.0f);

/// A small square in the place's colour, then its name ("wait:timer").
void place_chip(PlaceKind kind);

/// The coroutine as "name (id)", selectable: clicking selects it in `view`.
/// Returns true when clicked.
bool coro_link(const TraceModel& model, std::uint64_t coro, ViewState& view);

/// One line of text cut to the width left on the line, ending in "..." when it was cut (table
/// cells). `disabled` greys it; `tip`: hovering a cut text shows it whole in a tooltip (pass
/// false where the row has a tooltip of its own).
void text_fitted(std::string_view text, bool disabled = false, bool tip = true);

/// Text with a tooltip showing `tip` when hovered.
void text_with_tip(std::string_view text, std::string_view tip);

}  // namespace cogen::viz

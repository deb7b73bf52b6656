// Widgets shared by the panels: coloured place chips, clickable coroutine names, the text
// that describes what a coroutine waits on. Small ImGui helpers, no state of their own.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "cogen/viz/coroutine_state.hpp"
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

/// What a place waits on, in a few words: "fd 5 read", "signal 'go'", "coro 7", "queue 'jobs'",
/// "timeout 100 ms" ... (empty for places that wait on nothing).
std::string wait_target(const TraceModel& model, const Place& place);

/// "Sleep op 17" or "" when the coroutine awaits nothing.
std::string op_text(const TraceModel& model, std::uint64_t op, std::uint32_t op_type);

/// Text with a tooltip showing `tip` when hovered.
void text_with_tip(std::string_view text, std::string_view tip);

}  // namespace cogen::viz

// App layout: where the views go in the window. One view alone fills it (--view NAME, and the
// diagram then fills it edge to edge, which the PNG tests rely on); "all" is the full GUI: the
// diagram, tabs of tables and graphs, the timeline and event log, the inspector.
#pragma once
#include <optional>
#include <string_view>

#include "frame_data.hpp"
#include "session.hpp"
#include "view_state.hpp"

namespace cogen::viz {

/// "diagram", "table", ... "all".
std::string_view view_name(ViewId id) noexcept;
/// The view with that name, or nullopt.
std::optional<ViewId> view_from_name(std::string_view name) noexcept;

/// The height of a top bar of `lines` rows of widgets plus the session's notices.
float top_bar_height(int lines, const Session& session);
/// Opens the top bar window (0, 0, width, height); close it with end_top_bar().
void begin_top_bar(float height);
void end_top_bar();
/// The session's notices, one line each, coloured by level.
void draw_notices(const Session& session);

/// Session::refresh() for what the views showed last frame (the stall findings and the
/// wait-for graph are only worked out while a panel shows them).
void refresh_for_views(Session& session, ViewState& view, std::uint64_t now_ns);

/// Draws `which` in the window area below `top` pixels, leaving `right` pixels free at the
/// right edge (for a docked panel such as "be the scheduler").
void draw_views(const FrameData& frame, ViewState& view, ViewId which, float top, float right = 0);

}  // namespace cogen::viz

// The panels of cogen-viz: one free function per view, each in its own file, each drawing
// into the current ImGui window from a const FrameData and the ViewState (immediate mode: a
// panel keeps nothing between frames but what ViewState holds).
#pragma once
#include "frame_data.hpp"
#include "view_state.hpp"

namespace cogen::viz {

/// The loop diagram (docs/design.md) with every coroutine as a token. diagram_panel.cpp
void draw_diagram_panel(const FrameData& frame, ViewState& view);
/// Every coroutine: state, op, wait target, time in state, suspensions. coroutine_table_panel.cpp
void draw_coroutine_table_panel(const FrameData& frame, ViewState& view);
/// One lane per coroutine over time. timeline_panel.cpp
void draw_timeline_panel(const FrameData& frame, ViewState& view);
/// Registered fds and the last polls. proactor_panel.cpp
void draw_proactor_panel(const FrameData& frame, ViewState& view);
/// Pending deadlines, earliest first. timer_heap_panel.cpp
void draw_timer_heap_panel(const FrameData& frame, ViewState& view);
/// The events, filtered; click to seek. event_log_panel.cpp
void draw_event_log_panel(const FrameData& frame, ViewState& view);
/// Stall findings with click-through. stalls_panel.cpp
void draw_stalls_panel(const FrameData& frame, ViewState& view);
/// Waiter -> what it waits on -> who can wake it; deadlock cycles. wait_graph_panel.cpp
void draw_wait_graph_panel(const FrameData& frame, ViewState& view);
/// Why the selected resume happened. wake_chain_panel.cpp
void draw_wake_chain_panel(const FrameData& frame, ViewState& view);
/// Who is in the selected box, or where the selected coroutine is. inspector_panel.cpp
void draw_inspector_panel(const FrameData& frame, ViewState& view);

}  // namespace cogen::viz

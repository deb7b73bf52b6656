// Transport controls: the cursor's slider and buttons (first, previous, play, next, last,
// next stall, follow live) and their keyboard shortcuts, shared by the three modes.
#pragma once
#include "playback.hpp"
#include "session.hpp"
#include "view_state.hpp"

namespace cogen::viz {

/// Which controls a mode shows.
struct TransportOptions {
    Playback* playback = nullptr;  ///< replay: play/pause, pace and speed
    bool live = false;             ///< live and in-process: a "follow" toggle
};

/// One row: |< < play > >| [seq slider] pace/speed, next stall, follow.
void draw_transport(Session& session, ViewState& view, const TransportOptions& options);

/// Space play/pause, Left/Right one event, Home/End, S next stall, F follow (when no text
/// field has the keyboard).
void handle_transport_keys(Session& session, ViewState& view, const TransportOptions& options);

/// Moves the cursor to the next stall finding after it and selects its coroutine.
void jump_to_next_stall(Session& session, ViewState& view);

}  // namespace cogen::viz

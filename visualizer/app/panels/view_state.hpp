// ViewState: everything the views remember between frames (selection, filters, zoom, sort
// order, token motion, caches of filtered rows). Panels are free functions over a const model
// and this struct; nothing lives in statics, so two apps (or two tests) in one process never share
// view state.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cogen/viz/place.hpp"
#include "diagram_geometry.hpp"

namespace cogen::viz {

/// The views cogen-viz can show alone (--view) or together (all).
enum class ViewId : std::uint8_t {
    diagram,
    table,
    timeline,
    proactor,
    log,
    stalls,
    waitgraph,
    wake,
    all,
};

/// A token gliding along an edge after its coroutine changed box.
struct TokenMotion {
    std::uint64_t coro = 0;
    Box from = Box::active_queue;
    Box to = Box::active_queue;
    Point from_rest{};
    double start_s = 0;  ///< wall clock when it set off
};

/// The diagram's memory: the tokens of the last frame and those in motion.
struct DiagramView {
    int selected_box = -1;                   ///< a Box clicked on, -1 = none
    std::size_t max_per_box = 48;            ///< tokens drawn per box before "+N"
    std::uint64_t drawn_seq = 0;             ///< state.seq of `rest`
    std::size_t drawn_events = 0;            ///< state.events_applied of `rest`
    RestLayout rest;                         ///< rest positions at drawn_seq
    std::vector<std::uint64_t> drawn_order;  ///< the queue order `rest` was laid out with
    std::vector<TokenMotion> motions;        ///< sorted by coroutine
    /// Tokens each box holds at the canvas size last drawn (box_capacity), and the smallest
    /// grid cell (layout units) and max_per_box they were computed for: recomputed when the
    /// size or the cap changes.
    std::array<std::size_t, box_count> caps{};
    double caps_min_cell = -1;
    std::size_t caps_max_per_box = 0;
};

/// The coroutine table's filter, sort order and cached rows.
struct TableView {
    std::string filter;  ///< matches id, name, state or op (substring)
    bool alive_only = false;
    int sort_column = 0;
    bool sort_descending = false;
    std::vector<std::uint32_t> rows;  ///< indices into state.coroutines, filtered and sorted
    std::uint64_t rows_key = 0;       ///< what `rows` was computed for
};

/// The timeline's visible time range and lane height.
struct TimelineView {
    double t0_ns = 0;    ///< left edge
    double t1_ns = 0;    ///< right edge (<= t0: fit the whole trace)
    bool follow = true;  ///< keep the cursor in view while it moves
    /// Nobody zoomed or panned yet: the view keeps fitting the whole trace as it grows (a
    /// live trace starts with one event; its first span must not stay 1 ns).
    bool fitted = true;
    float lane_height = 16;
    bool dragging = false;
    /// The hovered lane segment's place, asked of the model once per segment hovered
    /// (TraceModel::place_at seeks): for which coroutine, seq and model size.
    std::uint64_t hover_coro = 0;
    std::uint64_t hover_seq = 0;
    std::size_t hover_events = 0;
    Place hover_place{};
};

/// The event log's filters and the cached indices of the events that pass them.
struct EventLogView {
    std::string coro_filter;          ///< coroutine id, or empty
    int kind_filter = -1;             ///< EventKind, -1 = any
    std::string op_filter;            ///< op type substring, or empty
    std::vector<std::uint32_t> rows;  ///< indices into model.events() that pass
    std::size_t scanned = 0;          ///< events examined for `rows`
    std::string rows_key;             ///< the filters `rows` was built with
    bool follow_cursor = true;        ///< scroll to the cursor's row when it moves
    std::uint64_t scrolled_to = 0;    ///< the cursor seq last scrolled to
};

/// Options of the wait-for graph view, and its stuck set and cycles for one state.
struct WaitGraphView {
    bool stuck_only = false;
    std::uint64_t cached_seq = ~std::uint64_t{0};
    std::size_t cached_events = 0;
    std::vector<std::uint64_t> stuck;
    std::vector<std::vector<std::uint64_t>> cycles;
};

/// All the views' state.
struct ViewState {
    std::uint64_t selected_coro = 0;  ///< 0 = none
    std::uint64_t wake_seq = 0;       ///< a resume picked for "why woken", 0 = the selected
                                      ///< coroutine's last resume
    std::uint64_t seek_request = 0;   ///< a panel asks to move the cursor here (0 = none)
    bool showed_findings = true;      ///< a panel showed the stall findings last frame
    bool showed_wait_graph = true;    ///< a panel showed the wait-for graph last frame
    DiagramView diagram;
    TableView table;
    TimelineView timeline;
    EventLogView log;
    WaitGraphView graph;

    /// Select a coroutine and ask the cursor to move to `seq` (0: stay).
    void select(std::uint64_t coro, std::uint64_t seq = 0) {
        selected_coro = coro;
        wake_seq = 0;
        if (seq != 0) seek_request = seq;
    }
};

}  // namespace cogen::viz

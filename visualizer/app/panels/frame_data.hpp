// FrameData: what every panel reads in one frame — the model, the state at the cursor and
// what the app derived from it once (stall findings, the wait-for graph). Const by design:
// panels never change the model; they write their wishes (selection, seek) into ViewState.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "cogen/viz/diagram_layout.hpp"
#include "cogen/viz/model_state.hpp"
#include "cogen/viz/stall_finding.hpp"
#include "cogen/viz/trace_model.hpp"
#include "cogen/viz/wait_graph.hpp"

namespace cogen::viz {

struct FrameData {
    const TraceModel& model;
    const ModelState& state;               ///< after the event at the cursor
    std::uint64_t cursor_seq = 0;          ///< the cursor (== state.seq unless before the first)
    std::uint64_t now_ns = 0;              ///< "now" for durations: cursor time, or live time
    const std::vector<Finding>& findings;  ///< stalls at the cursor
    const std::vector<Finding>& trace_findings;  ///< stalls of the whole trace (at its end)
    const WaitForGraph& wait_graph;              ///< of `state`
    const DiagramLayout& layout;
    double clock_s = 0;     ///< wall clock, seconds (token motion)
    double motion_s = 0.4;  ///< how long a token takes along an edge; 0 = no motion
    /// The active queue's order as the scheduler knows it (in-process mode), else empty.
    std::span<const std::uint64_t> queue_order{};
};

}  // namespace cogen::viz

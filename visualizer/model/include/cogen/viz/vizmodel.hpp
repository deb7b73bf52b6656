// The visualizer model, all of it: replay (TraceModel), places, the wait-for
// graph, why-woken chains, stall findings and the diagram layout. No GL, no
// ImGui: this is what the GUI, cogen-trace and the tests share.
#pragma once
#include "cogen/viz/coroutine_history.hpp"
#include "cogen/viz/coroutine_state.hpp"
#include "cogen/viz/diagram_layout.hpp"
#include "cogen/viz/event_text.hpp"
#include "cogen/viz/model_state.hpp"
#include "cogen/viz/place.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "cogen/viz/stall_finding.hpp"
#include "cogen/viz/state_reducer.hpp"
#include "cogen/viz/trace_model.hpp"
#include "cogen/viz/wait_graph.hpp"
#include "cogen/viz/wake_chain.hpp"

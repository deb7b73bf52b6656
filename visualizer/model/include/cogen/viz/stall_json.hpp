// Stall findings as JSON, one object per finding (`cogen-trace stalls --json`, CI).
// Members: docs/cogen-trace.md, "stalls".
#pragma once
#include <string>

#include "cogen/viz/stall_finding.hpp"

namespace cogen::viz {

/// One finding as a one-line JSON object:
///
///     {"kind":"backlog","coroutine":{"id":2,"name":"consumer"},
///      "blame":{"queue":"results","queue_length":570,...},
///      "since":{"seq":21,"t_ns":1200000},"duration_ns":629000000,"sentence":"..."}
///
/// Blame members that do not apply are left out (see Blame).
std::string to_json(const Finding& finding);

}  // namespace cogen::viz

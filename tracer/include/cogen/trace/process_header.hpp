// process_trace_header: the TraceHeader a sink writes when nobody gave it one (this
// program's name and pid, steady clock). Every sink's Options start from it.
#pragma once
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// `TraceHeader h = process_trace_header();` program = this executable's name, pid = getpid(),
/// clock = "steady", backend empty (the scheduler reports it in sched.run.begin).
TraceHeader process_trace_header();

}  // namespace cogen::trace

// Trace loading for replay: reads a JSONL or JSON trace with the tracer's reader, leniently so
// that a truncated or partly malformed file still opens, and turns every problem into a notice
// for the window and a line on stderr. Never throws.
#pragma once
#include <string>

#include "session.hpp"

namespace cogen::viz {

/// What opening a trace file did.
struct LoadResult {
    bool readable = false;    ///< false: nothing could be read (missing file, bad syntax ...)
    std::size_t skipped = 0;  ///< bad records left out
    double seconds = 0;       ///< read + model build time
};

/// Loads `path` into `session` (which should be empty) and adds notices for what went wrong;
/// with `echo`, the same lines go to stderr prefixed by "cogen-viz: ".
LoadResult load_trace_file(Session& session, const std::string& path, bool echo = true);

}  // namespace cogen::viz

// PerfettoWriter: the sink behind COGEN_TRACE=perfetto:PATH. It gathers the trace in memory on
// a background thread and writes it with export_perfetto() when the scheduler closes (and on
// exit, SIGINT, SIGTERM or std::terminate), ready to open in ui.perfetto.dev.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

#include "cogen/trace/file_writer.hpp"
#include "cogen/trace/process_header.hpp"

namespace cogen::trace {

/// `PerfettoWriter w{"run.perfetto.json"}; Scheduler s{{.instrument = &w}};`
///
/// Memory grows with the trace (72 B per event) until the export. The file is replaced
/// atomically (written aside, then renamed). Throws std::system_error when PATH's folder
/// can't be written.
class PerfettoWriter final : public FileWriter {
  public:
    struct Options {
        std::size_t ring_capacity = std::size_t{1} << 16;  ///< events buffered (64 B each)
        std::chrono::milliseconds drain_interval{20};      ///< how often the thread gathers
        TraceHeader header = process_trace_header();       ///< the trace's metadata
    };

    /// `PerfettoWriter w{"run.perfetto.json"};` on_close() and flush() export the whole trace
    /// received so far.
    explicit PerfettoWriter(const std::string& path);
    PerfettoWriter(const std::string& path, Options options);
};

}  // namespace cogen::trace

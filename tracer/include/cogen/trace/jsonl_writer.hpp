// JsonlWriter: the streaming file sink of JSON Lines (a FileWriter: the scheduler thread only
// copies each event into a ring; a background thread formats the lines and writes them).
// Format: docs/trace-format.md. Chosen by COGEN_TRACE=file:PATH.jsonl (docs/tracing.md).
#pragma once
#include <string>

#include "cogen/trace/file_writer.hpp"

namespace cogen::trace {

/// Streams a trace to a file: `JsonlWriter w{"run.jsonl"}; Scheduler s{{.instrument = &w}};`
///
/// The file holds whole lines at any moment (each write ends at a newline), is at most
/// `flush_interval` behind, and is complete after on_close(), flush(), destruction, exit(),
/// std::terminate, SIGINT or SIGTERM. Throws std::system_error when the file can't be opened.
class JsonlWriter final : public FileWriter {
  public:
    /// `JsonlWriter w{"run.jsonl"};` path "-" writes to standard output.
    explicit JsonlWriter(const std::string& path);
    JsonlWriter(const std::string& path, Options options);
};

}  // namespace cogen::trace

// BinaryWriter: the streaming file sink of the binary format (a FileWriter: the scheduler
// writes each event into a ring, 64-byte records, no call, no lock; a background thread
// encodes them, 3 to 6 bytes each, and writes whole blocks). Format: docs/trace-format.md.
// Chosen by COGEN_TRACE=file:PATH when PATH does not end in .jsonl (docs/tracing.md).
#pragma once
#include <string>

#include "cogen/trace/file_writer.hpp"

namespace cogen::trace {

/// Streams a trace to a file: `BinaryWriter w{"run.cgt"}; Scheduler s{{.instrument = &w}};`
///
/// The file holds whole blocks at any moment (each write(2) is one or more whole blocks), is
/// at most `flush_interval` behind, and is complete after on_close(), flush(), destruction,
/// exit(), std::terminate, SIGINT or SIGTERM; killed mid-write, it reads up to its last whole
/// record. Throws std::system_error when the file can't be opened.
class BinaryWriter final : public FileWriter {
  public:
    /// `BinaryWriter w{"run.cgt"};` path "-" writes to standard output.
    explicit BinaryWriter(const std::string& path);
    BinaryWriter(const std::string& path, Options options);
};

}  // namespace cogen::trace

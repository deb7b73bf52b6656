// Trace reader: loads a binary trace, a JSON Lines stream or a JSON document
// (docs/trace-format.md) into a TraceData, streaming (the input is read in chunks, lines are
// capped), strictly (any bad record throws TraceReadError with its line and field) or
// leniently (bad records are skipped and counted). Malformed input of any kind never crashes
// it; a binary file cut short (a crash mid-write) reads up to its last whole record.
// read_trace_events() hands the events over in batches instead, so that a trace of any length
// is read in constant memory; the whole-trace functions are built on it. The format is
// detected from the content.
#pragma once
#include <cstdint>
#include <functional>
#include <istream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// How to read: `read_trace_file(path, {.lenient = true});`
struct ReadOptions {
    /// Skip (and count in ReadReport) bad records instead of throwing. Problems that make the
    /// rest unreadable (unknown version, a syntax error in a JSON document) still throw.
    bool lenient = false;
    /// Longest JSONL line (and longest string in a JSON document or a binary trace) accepted,
    /// in bytes.
    std::size_t max_line_bytes = std::size_t{1} << 20;
    /// Called now and then with (bytes read, total bytes or 0 when unknown).
    std::function<void(std::uint64_t, std::uint64_t)> progress = nullptr;
    /// read_trace_events(): events per batch handed to the callback (at least 1).
    std::size_t batch_events = std::size_t{1} << 16;
    /// read_trace_events(): decode on a thread of its own, a few batches ahead, while the
    /// handler works on the calling thread (two cores: reading and using the trace overlap).
    /// The handler still runs on the calling thread, one batch at a time; `progress`, if
    /// set, is called from the decoding thread.
    bool background = false;
};

/// What a read found: `ReadReport r; read_trace_file(path, {}, &r); r.skipped`
struct ReadReport {
    enum class Format { jsonl, json_document, binary };
    Format format = Format::jsonl;
    std::uint64_t lines = 0;  ///< lines read (JSONL) or last line reached (document)
    /// Binary: the input ends inside a record (a crash or a kill mid-write). What came
    /// before is loaded; in strict mode too.
    bool truncated = false;
    std::uint64_t events = 0;   ///< events kept
    std::uint64_t skipped = 0;  ///< records skipped in lenient mode
    /// The first problems met (at most 20), as "line N, field \"f\": why".
    std::vector<std::string> problems;
};

/// A record the reader could not accept: `catch (const TraceReadError& e) { e.line(); }`
class TraceReadError : public std::runtime_error {
  public:
    TraceReadError(std::uint64_t line, std::string field, const std::string& message);
    /// 1-based line of the input (0 when it is about the input as a whole).
    std::uint64_t line() const noexcept { return m_line; }
    /// The member at fault ("seq", "kind", ...), or empty for a syntax error.
    const std::string& field() const noexcept { return m_field; }

  private:
    std::uint64_t m_line;
    std::string m_field;
};

/// One batch of a streamed trace, valid during the callback only.
struct TraceBatch {
    const TraceHeader& header;   ///< complete from the first batch on
    const StringTable& strings;  ///< every string announced so far (it grows between batches)
    std::span<const TraceEvent> events;  ///< the next events, in seq order
    std::uint64_t bytes_read = 0;        ///< input consumed so far
    std::uint64_t total_bytes = 0;       ///< the input's size, 0 when unknown (a pipe)
};

/// Called once per batch; a batch is never empty. Throwing stops the read (the exception
/// propagates out of read_trace_events).
using TraceBatchHandler = std::function<void(const TraceBatch&)>;

/// Streams a trace: decodes it in chunks and calls `handler` with each batch of
/// options.batch_events events, keeping no more than one batch in memory:
///
///     read_trace_events("run.jsonl", {}, [&](const TraceBatch& b) {
///         for (const TraceEvent& e : b.events) count(e, b.strings);
///     });
///
/// Same checks, errors and report as read_trace_file (a strict read may throw after some
/// batches were handed over). Returns the header and the whole string table, with no events
/// (so also for a trace without events, or strings announced after the last one).
TraceData read_trace_events(const std::string& path, const ReadOptions& options,
                            const TraceBatchHandler& handler, ReadReport* report = nullptr);

/// The same from a stream (`-` on the command line).
TraceData read_trace_events(std::istream& in, const ReadOptions& options,
                            const TraceBatchHandler& handler, ReadReport* report = nullptr);

/// The same from bytes in memory.
TraceData read_trace_events_string(std::string_view text, const ReadOptions& options,
                                   const TraceBatchHandler& handler, ReadReport* report = nullptr);

/// `TraceData d = read_trace_file("run.cgt");` any format, detected from the content (the
/// binary format by its magic).
/// Throws TraceReadError for bad content and std::system_error when the file can't be read.
TraceData read_trace_file(const std::string& path, const ReadOptions& options = {},
                          ReadReport* report = nullptr);

/// `read_trace_string(text)`: the same, from bytes in memory.
TraceData read_trace_string(std::string_view text, const ReadOptions& options = {},
                            ReadReport* report = nullptr);

/// `read_trace(std::cin)`: the same, from a stream.
TraceData read_trace(std::istream& in, const ReadOptions& options = {},
                     ReadReport* report = nullptr);

}  // namespace cogen::trace

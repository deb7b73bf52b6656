// JsonlWriter: the streaming file sink. The scheduler thread only copies each event into a
// ring; a background thread formats JSON Lines and writes them, so the scheduler never waits
// on the disk. A full ring costs dropped (counted) events, never a stall. Format:
// docs/trace-format.md. Chosen by COGEN_TRACE=file:PATH (docs/tracing.md).
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/instrument.hpp"
#include "cogen/trace/process_header.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// Streams a trace to a file: `JsonlWriter w{"run.jsonl"}; Scheduler s{{.instrument = &w}};`
///
/// The file holds whole lines at any moment (each write ends at a newline), is at most
/// `flush_interval` behind, and is complete after on_close(), flush(), destruction, exit(),
/// std::terminate, SIGINT or SIGTERM. Throws std::system_error when the file can't be opened.
class JsonlWriter final : public Instrument {
  public:
    struct Options {
        std::size_t ring_capacity = std::size_t{1} << 16;  ///< events buffered (64 B each)
        std::chrono::milliseconds flush_interval{20};      ///< how often the thread writes
        TraceHeader header = process_trace_header();       ///< the first line
    };

    /// `JsonlWriter w{"run.jsonl"};` path "-" writes to standard output.
    explicit JsonlWriter(const std::string& path);
    JsonlWriter(const std::string& path, Options options);
    ~JsonlWriter() override;
    JsonlWriter(const JsonlWriter&) = delete;
    JsonlWriter& operator=(const JsonlWriter&) = delete;

    void on_string(std::uint32_t id, std::string_view text) override;
    void on_event(const TraceEvent& event) override;
    /// The scheduler writes its records straight into the sink's ring.
    RecordRing* record_ring() noexcept override;
    /// Writes what is left and closes the file; later events are ignored.
    void on_close() override;

    /// `w.flush();` returns once every event received so far is in the file (or after 2 s).
    bool flush();
    /// `w.dropped()`: events lost because the ring was full.
    std::uint64_t dropped() const noexcept;
    const std::string& path() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::trace

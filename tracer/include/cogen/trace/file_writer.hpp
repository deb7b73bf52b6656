// FileWriter: what the file sinks (JsonlWriter, BinaryWriter, PerfettoWriter) share. The
// scheduler thread only copies each event into a ring; a background thread drains it and
// writes the file, so the scheduler never waits on the disk. A full ring costs dropped
// (counted) events, never a stall. The format is the subclass's: docs/trace-format.md.
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
namespace detail {
class Sink;
}  // namespace detail

/// A file sink: `BinaryWriter w{"run.cgt"}; w.flush(); w.dropped();`
///
/// The file is complete after on_close(), flush(), destruction, exit(), std::terminate,
/// SIGINT or SIGTERM. Constructors throw std::system_error when the file can't be opened.
class FileWriter : public Instrument {
  public:
    /// The streaming writers' options (PerfettoWriter has its own).
    struct Options {
        std::size_t ring_capacity = std::size_t{1} << 16;  ///< records buffered (64 B each)
        std::chrono::milliseconds flush_interval{20};      ///< how often the thread writes
        TraceHeader header = process_trace_header();       ///< written first
    };

    ~FileWriter() override;
    FileWriter(const FileWriter&) = delete;
    FileWriter& operator=(const FileWriter&) = delete;

    void on_string(std::uint32_t id, std::string_view text) override;
    void on_event(const TraceEvent& event) override;
    /// The scheduler writes its records straight into the sink's ring.
    RecordRing* record_ring() noexcept override;
    /// Writes what is left and closes the file; later events are ignored.
    void on_close() override;

    /// `w.flush();` returns once every event received so far is in the file (or after a
    /// timeout: 2 s for the streaming writers, 5 s for PerfettoWriter's export).
    bool flush();
    /// `w.dropped()`: events lost because the ring was full.
    std::uint64_t dropped() const noexcept;
    /// The file's path ("-": standard output).
    const std::string& path() const noexcept;

  protected:
    /// The subclass's sink: its file already open, its thread started.
    explicit FileWriter(std::unique_ptr<detail::Sink> sink);

  private:
    std::unique_ptr<detail::Sink> m_sink;
};

}  // namespace cogen::trace

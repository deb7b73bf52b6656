// FileWriter: what the streaming file sinks (JsonlWriter, BinaryWriter) share. The scheduler
// thread only copies each event into a ring; a background thread encodes them and writes the
// file, so the scheduler never waits on the disk. A full ring costs dropped (counted) events,
// never a stall. The encoding is the subclass's: docs/trace-format.md.
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
class FileSink;
class TraceEncoding;
}  // namespace detail

/// A streaming file sink: `BinaryWriter w{"run.cgt"}; w.flush(); w.dropped();`
///
/// The file is at most `flush_interval` behind, and complete after on_close(), flush(),
/// destruction, exit(), std::terminate, SIGINT or SIGTERM. Constructors throw
/// std::system_error when the file can't be opened.
class FileWriter : public Instrument {
  public:
    struct Options {
        std::size_t ring_capacity = std::size_t{1} << 16;  ///< events buffered (64 B each)
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

    /// `w.flush();` returns once every event received so far is in the file (or after 2 s).
    bool flush();
    /// `w.dropped()`: events lost because the ring was full.
    std::uint64_t dropped() const noexcept;
    /// The file's path ("-": standard output).
    const std::string& path() const noexcept;

  protected:
    /// Opens `path` ("-": standard output), writes the header and starts the thread.
    FileWriter(const std::string& path, const Options& options,
               std::unique_ptr<detail::TraceEncoding> encoding);

  private:
    std::unique_ptr<detail::FileSink> m_sink;
};

}  // namespace cogen::trace

// BinaryWriter: the streaming file sink of the binary format. The scheduler writes each event
// into a ring (64-byte records, no call, no lock); a background thread encodes them (3 to 6
// bytes each) and writes whole blocks, so the scheduler never waits on the disk. A full ring
// costs dropped (counted) events, never a stall. Format: docs/trace-format.md. Chosen by
// COGEN_TRACE=file:PATH when PATH does not end in .jsonl (docs/tracing.md).
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

/// Streams a trace to a file: `BinaryWriter w{"run.cgt"}; Scheduler s{{.instrument = &w}};`
///
/// The file holds whole blocks at any moment (each write(2) is one or more whole blocks), is
/// at most `flush_interval` behind, and is complete after on_close(), flush(), destruction,
/// exit(), std::terminate, SIGINT or SIGTERM; killed mid-write, it reads up to its last whole
/// record. Throws std::system_error when the file can't be opened.
class BinaryWriter final : public Instrument {
  public:
    struct Options {
        std::size_t ring_capacity = std::size_t{1} << 16;  ///< events buffered (64 B each)
        std::chrono::milliseconds flush_interval{20};      ///< how often the thread writes
        TraceHeader header = process_trace_header();       ///< written first
    };

    /// `BinaryWriter w{"run.cgt"};` path "-" writes to standard output.
    explicit BinaryWriter(const std::string& path);
    BinaryWriter(const std::string& path, Options options);
    ~BinaryWriter() override;
    BinaryWriter(const BinaryWriter&) = delete;
    BinaryWriter& operator=(const BinaryWriter&) = delete;

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

// PerfettoWriter: the sink behind COGEN_TRACE=perfetto:PATH. It gathers the trace in memory on
// a background thread and writes it with export_perfetto() when the scheduler closes (and on
// exit, SIGINT, SIGTERM or std::terminate), ready to open in ui.perfetto.dev.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/instrument.hpp"
#include "cogen/trace/process_header.hpp"

namespace cogen::trace {

/// `PerfettoWriter w{"run.perfetto.json"}; Scheduler s{{.instrument = &w}};`
///
/// Memory grows with the trace (72 B per event) until the export. The file is replaced
/// atomically (written aside, then renamed). Throws std::system_error when PATH's folder
/// can't be written.
class PerfettoWriter final : public Instrument {
  public:
    struct Options {
        std::size_t ring_capacity = std::size_t{1} << 16;
        std::chrono::milliseconds drain_interval{20};
        TraceHeader header = process_trace_header();
    };

    explicit PerfettoWriter(const std::string& path);
    PerfettoWriter(const std::string& path, Options options);
    ~PerfettoWriter() override;
    PerfettoWriter(const PerfettoWriter&) = delete;
    PerfettoWriter& operator=(const PerfettoWriter&) = delete;

    void on_string(std::uint32_t id, std::string_view text) override;
    void on_event(const TraceEvent& event) override;
    /// The scheduler writes its records straight into the sink's ring.
    RecordRing* record_ring() noexcept override;
    /// Exports the whole trace to the file; later events are ignored.
    void on_close() override;

    /// `w.flush();` exports everything received so far now.
    bool flush();
    std::uint64_t dropped() const noexcept;
    const std::string& path() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::trace

// Recorder: the in-memory sink. It keeps every string and event it receives in a TraceData,
// on the scheduler's thread, for tests and exporters. (The in-process visualizer has its
// own instrument, cogen::viz::Capture, which hands events across threads.)
#pragma once
#include <string_view>

#include "cogen/instrument.hpp"
#include "cogen/trace/process_header.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// Records a whole trace in memory:
/// `Recorder rec; Scheduler s{{.instrument = &rec}}; ...; render_text(rec.data());`
///
/// Not thread-safe: read data() on the scheduler's thread (or after the run). Memory grows
/// with the trace (sizeof(TraceEvent) = 72 bytes per event plus each distinct string once).
class Recorder final : public Instrument {
  public:
    /// `Recorder rec{header};` header defaults to process_trace_header().
    explicit Recorder(TraceHeader header = process_trace_header());

    void on_string(std::uint32_t id, std::string_view text) override;
    void on_event(const TraceEvent& event) override;

    /// `const TraceData& d = rec.data();` everything received so far.
    const TraceData& data() const noexcept { return m_data; }
    /// `TraceData d = rec.take();` moves the trace out; the string table stays so later
    /// events still resolve their names.
    TraceData take();
    /// `rec.clear_events();` forgets the events received so far (strings are kept).
    void clear_events() noexcept { m_data.events.clear(); }

  private:
    TraceData m_data;
};

}  // namespace cogen::trace

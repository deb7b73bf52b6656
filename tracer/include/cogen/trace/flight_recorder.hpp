// FlightRecorder: keeps only the most recent events in a fixed ring that overwrites the oldest
// (COGEN_TRACE=ring). Nothing is written while the program runs; SIGUSR1, SIGINT, SIGTERM or
// std::terminate dump the ring to cogen-trace-dump-<pid>.jsonl and say so on stderr.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/instrument.hpp"
#include "cogen/trace/process_header.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// A black box: `FlightRecorder box{1 << 16}; ...; box.dump("last-events.jsonl");`
///
/// The scheduler writes each event straight into the ring as a 64-byte EventRecord
/// (record_ring(): eight word stores, no lock, no allocation); snapshot() and dump() may run
/// on any thread while the scheduler keeps recording, and turn the records into TraceEvents.
class FlightRecorder final : public Instrument {
  public:
    struct Options {
        std::size_t capacity = std::size_t{1} << 16;  ///< records kept (64 B each; 1–4 events)
        std::string dump_path;  ///< empty: cogen-trace-dump-<pid>.jsonl in the current dir
        TraceHeader header = process_trace_header();
    };

    FlightRecorder();
    explicit FlightRecorder(Options options);
    ~FlightRecorder() override;
    FlightRecorder(const FlightRecorder&) = delete;
    FlightRecorder& operator=(const FlightRecorder&) = delete;

    void on_string(std::uint32_t id, std::string_view text) override;
    void on_event(const TraceEvent& event) override;
    RecordRing* record_ring() noexcept override;

    /// `TraceData last = box.snapshot();` the kept events, oldest first, after a trace.drop
    /// event counting the older ones that were overwritten (when there were any).
    TraceData snapshot() const;
    /// `box.dump(path)` writes snapshot() as JSON Lines; false when the file can't be written.
    bool dump(const std::string& path) const;
    /// Where signals dump to.
    const std::string& dump_path() const noexcept;
    /// Events recorded so far (kept or overwritten).
    std::uint64_t recorded() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::trace

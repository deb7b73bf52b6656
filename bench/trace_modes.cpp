// --trace modes for the benchmarks. ring and file come from the tracer when
// it is built (COGEN_BENCH_HAS_TRACER).
#include "trace_modes.hpp"

#if COGEN_BENCH_HAS_TRACER
#include "cogen/trace/binary_writer.hpp"
#include "cogen/trace/flight_recorder.hpp"
#include "cogen/trace/jsonl_writer.hpp"
#endif

namespace cogen::bench {
namespace {

class NoopInstrument final : public Instrument {
  public:
    void on_string(std::uint32_t, std::string_view) override {}
    void on_event(const TraceEvent&) override {}
};

}  // namespace

std::unique_ptr<Instrument> make_trace_instrument(const std::string& mode, const std::string& file,
                                                  std::string& error) {
    if (mode == "off") return nullptr;
    if (mode == "noop") return std::make_unique<NoopInstrument>();
#if COGEN_BENCH_HAS_TRACER
    // ring: every event into the in-memory ring (the tracer's flight recorder);
    // file: the binary format written by the tracer's background thread (COGEN_TRACE=file:);
    // jsonl: JSON Lines the same way (COGEN_TRACE=file:x.jsonl).
    if (mode == "ring") return std::make_unique<trace::FlightRecorder>();
    if (mode == "file") return std::make_unique<trace::BinaryWriter>(file);
    if (mode == "jsonl") return std::make_unique<trace::JsonlWriter>(file);
#else
    (void)file;
#endif
    error = "--trace " + mode + " is not supported by this build";
    return nullptr;
}

}  // namespace cogen::bench

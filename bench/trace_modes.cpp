// --trace modes for the benchmarks. ring and file come from the tracer when
// it is built (COGEN_BENCH_HAS_TRACER).
#include "trace_modes.hpp"

#include <cstdio>
#include <stdexcept>

#if COGEN_BENCH_HAS_TRACER
#include "cogen/trace/binary_writer.hpp"
#include "cogen/trace/jsonl_writer.hpp"
#include "cogen/trace/live_feed.hpp"
#include "cogen/trace/trace_spec.hpp"
#endif
#if COGEN_BENCH_HAS_VIZMODEL
#include "cogen/viz/stall_stream.hpp"
#include "cogen/viz/stall_watch.hpp"
#endif

namespace cogen::bench {
namespace {

class NoopInstrument final : public Instrument {
  public:
    void on_string(std::uint32_t, std::string_view) override {}
    void on_event(const TraceEvent&) override {}
};

#if COGEN_BENCH_HAS_VIZMODEL
// A StallWatch owning the instrument it forwards to: COGEN_STALLS before it streamed.
class OwningStallWatch final : public Instrument {
  public:
    explicit OwningStallWatch(std::unique_ptr<Instrument> next)
        : m_next(std::move(next)), m_watch(m_next.get()) {}
    void on_string(std::uint32_t id, std::string_view text) override {
        m_watch.on_string(id, text);
    }
    void on_event(const TraceEvent& event) override { m_watch.on_event(event); }
    void on_close() override { m_watch.on_close(); }

  private:
    std::unique_ptr<Instrument> m_next;
    viz::StallWatch m_watch;
};

// A StallStream that says on stderr, when closed, how many events its tracker applied and
// how many the full ring dropped (the bench's figures are only honest beside that).
class CountingStallStream final : public Instrument {
  public:
    explicit CountingStallStream(std::unique_ptr<Instrument> next) : m_stream(std::move(next)) {}
    void on_string(std::uint32_t id, std::string_view text) override {
        m_stream.on_string(id, text);
    }
    void on_event(const TraceEvent& event) override { m_stream.on_event(event); }
    RecordRing* record_ring() noexcept override { return m_stream.record_ring(); }
    void on_close() override {
        m_stream.on_close();
        std::fprintf(stderr, "stalls: %llu events applied, %llu dropped, tracker %zu bytes\n",
                     static_cast<unsigned long long>(m_stream.events()),
                     static_cast<unsigned long long>(m_stream.dropped()), m_stream.approx_bytes());
    }

  private:
    viz::StallStream m_stream;
};
#endif

}  // namespace

std::unique_ptr<Instrument> make_trace_instrument(const std::string& mode, const std::string& file,
                                                  std::string& error) {
    if (mode == "off") return nullptr;
    if (mode == "noop") return std::make_unique<NoopInstrument>();
#if COGEN_BENCH_HAS_TRACER
    // ring: every event into the in-memory ring (the tracer's flight recorder);
    // file: the binary format written by the tracer's background thread (COGEN_TRACE=file:);
    // jsonl: JSON Lines the same way (COGEN_TRACE=file:x.jsonl).
    if (mode == "ring" || mode.starts_with("ring:")) {  // ring[:N]: as COGEN_TRACE takes it
        try {
            return trace::make_instrument(trace::parse_trace_spec(mode));
        } catch (const std::invalid_argument& e) {
            error = std::string("--trace ") + e.what();
            return nullptr;
        }
    }
    if (mode == "file") return std::make_unique<trace::BinaryWriter>(file);
    if (mode == "jsonl") return std::make_unique<trace::JsonlWriter>(file);
    // live: a live feed on a free loopback port that no viewer attaches to (what leaving
    // COGEN_TRACE=live: on costs while nobody looks; the port is printed on stderr).
    if (mode == "live") {
        auto feed = std::make_unique<trace::LiveFeed>("127.0.0.1:0");
        std::fprintf(stderr, "live feed on %s\n", feed->address().c_str());
        return feed;
    }
#else
    (void)file;
#endif
#if COGEN_BENCH_HAS_VIZMODEL && COGEN_BENCH_HAS_TRACER
    // stalls: what COGEN_STALLS=1 installs (a StallStream: a ring drained into a StallTracker
    // on a background thread); stalls-watch: what it installed before (a StallWatch keeping
    // every event in a TraceModel). "+file": in front of the file sink, as with COGEN_TRACE.
    if (mode == "stalls") return std::make_unique<CountingStallStream>(nullptr);
    if (mode == "stalls+file")
        return std::make_unique<CountingStallStream>(std::make_unique<trace::BinaryWriter>(file));
    if (mode == "stalls-watch") return std::make_unique<OwningStallWatch>(nullptr);
    if (mode == "stalls-watch+file")
        return std::make_unique<OwningStallWatch>(std::make_unique<trace::BinaryWriter>(file));
#endif
    error = "--trace " + mode + " is not supported by this build";
    return nullptr;
}

}  // namespace cogen::bench

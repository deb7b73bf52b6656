// FlightRecorder: an overwriting RecordRing (see flight_recorder.hpp). The scheduler writes
// its records into the ring itself (record_ring()); snapshot() copies the ring from any
// thread while it is being written (RecordRing::snapshot leaves out a slot being rewritten)
// and turns the records into TraceEvents.
#include "cogen/trace/flight_recorder.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <vector>

#include "cogen/record_ring.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "crash_guard.hpp"

namespace cogen::trace {

struct FlightRecorder::Impl final : detail::Flushable {
    explicit Impl(Options options)
        : opts(std::move(options)),
          ring(std::max<std::size_t>(opts.capacity, 2), RecordRing::WhenFull::overwrite) {
        if (opts.dump_path.empty()) {
            opts.dump_path = "cogen-trace-dump-" + std::to_string(::getpid()) + ".jsonl";
        }
        detail::register_flushable(this);
    }
    ~Impl() override { detail::unregister_flushable(this); }

    TraceData snapshot() const {
        TraceData data;
        data.header = opts.header;
        {
            std::lock_guard lock{strings_mutex};
            data.strings = strings;
        }
        std::uint64_t total = 0;
        const std::vector<EventRecord> kept = ring.snapshot(&total);
        data.events.reserve(kept.size() * EventRecord::max_events + 1);
        std::uint64_t last_t = 0;
        TraceEvent unpacked[EventRecord::max_events];
        for (const EventRecord& r : kept) {
            const std::size_t k = to_trace_events(r, unpacked);
            for (std::size_t j = 0; j < k; ++j) {
                // Tick conversions refined between two records may differ by a few ns:
                // keep time monotonic within the stream.
                TraceEvent& e = data.events.emplace_back(unpacked[j]);
                if (e.t_ns < last_t) e.t_ns = last_t;
                last_t = e.t_ns;
            }
        }
        if (total > data.events.size() && !data.events.empty()) {
            TraceEvent marker;
            marker.seq = data.events.front().seq - 1;
            marker.t_ns = data.events.front().t_ns;
            marker.kind = EventKind::trace_drop;
            marker.a = static_cast<std::int64_t>(total - data.events.size());
            data.events.insert(data.events.begin(), marker);
        }
        return data;
    }

    bool dump(const std::string& path) const {
        const TraceData data = snapshot();
        std::ofstream out{path, std::ios::binary | std::ios::trunc};
        if (!out) return false;
        export_jsonl(data, out);
        return static_cast<bool>(out.flush());
    }

    void flush_for(detail::FlushReason reason) override {
        if (reason == detail::FlushReason::exit) return;  // a normal end needs no black box
        const bool ok = dump(opts.dump_path);
        std::fprintf(stderr,
                     ok ? "cogen trace: dumped the last events to %s\n"
                        : "cogen trace: could not write %s\n",
                     opts.dump_path.c_str());
    }

    Options opts;
    RecordRing ring;
    mutable std::mutex strings_mutex;
    StringTable strings;
};

FlightRecorder::FlightRecorder() : FlightRecorder(Options{}) {}

FlightRecorder::FlightRecorder(Options options)
    : m_impl(std::make_unique<Impl>(std::move(options))) {}

FlightRecorder::~FlightRecorder() = default;

void FlightRecorder::on_string(std::uint32_t id, std::string_view text) {
    std::lock_guard lock{m_impl->strings_mutex};
    m_impl->strings.set(id, text);
}

void FlightRecorder::on_event(const TraceEvent& event) {
    m_impl->ring.push(to_record(event));
}

RecordRing* FlightRecorder::record_ring() noexcept {
    return &m_impl->ring;
}

TraceData FlightRecorder::snapshot() const {
    return m_impl->snapshot();
}

bool FlightRecorder::dump(const std::string& path) const {
    return m_impl->dump(path);
}

const std::string& FlightRecorder::dump_path() const noexcept {
    return m_impl->opts.dump_path;
}

std::uint64_t FlightRecorder::recorded() const noexcept {
    return m_impl->ring.events_pushed();
}

}  // namespace cogen::trace

// FlightRecorder: an overwriting ring of seqlocked slots (see flight_recorder.hpp).
// TRICKY: the reader runs on another thread while the scheduler overwrites slots. Each slot
// is a seqlock: the writer makes its version odd, stores the event as relaxed atomic words,
// then makes the version even again; a reader keeps a copy only if the version was even and
// unchanged across the copy. No lock, no torn event, no data race.
#include "cogen/trace/flight_recorder.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <vector>

#include "cogen/trace/jsonl_format.hpp"
#include "crash_guard.hpp"

namespace cogen::trace {
namespace {

constexpr std::size_t words_per_event = sizeof(TraceEvent) / sizeof(std::uint64_t);
static_assert(sizeof(TraceEvent) % sizeof(std::uint64_t) == 0);

struct Slot {
    std::atomic<std::uint64_t> version{0};
    std::array<std::atomic<std::uint64_t>, words_per_event> words{};
};

}  // namespace

struct FlightRecorder::Impl final : detail::Flushable {
    explicit Impl(Options options)
        : opts(std::move(options)), slots(std::bit_ceil(std::max<std::size_t>(opts.capacity, 2))) {
        if (opts.dump_path.empty()) {
            opts.dump_path = "cogen-trace-dump-" + std::to_string(::getpid()) + ".jsonl";
        }
        detail::register_flushable(this);
    }
    ~Impl() override { detail::unregister_flushable(this); }

    void record(const TraceEvent& event) {
        const std::uint64_t n = head.load(std::memory_order_relaxed);
        Slot& slot = slots[n & (slots.size() - 1)];
        std::uint64_t raw[words_per_event];
        std::memcpy(raw, &event, sizeof raw);
        const std::uint64_t v = slot.version.load(std::memory_order_relaxed);
        slot.version.store(v + 1, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_release);
        for (std::size_t i = 0; i < words_per_event; ++i) {
            slot.words[i].store(raw[i], std::memory_order_relaxed);
        }
        slot.version.store(v + 2, std::memory_order_release);
        head.store(n + 1, std::memory_order_release);
    }

    TraceData snapshot() const {
        TraceData data;
        data.header = opts.header;
        {
            std::lock_guard lock{strings_mutex};
            data.strings = strings;
        }
        const std::uint64_t total = head.load(std::memory_order_acquire);
        data.events.reserve(std::min<std::uint64_t>(total, slots.size()));
        for (const Slot& slot : slots) {
            const std::uint64_t v1 = slot.version.load(std::memory_order_acquire);
            if (v1 == 0 || (v1 & 1) != 0) continue;
            std::uint64_t raw[words_per_event];
            for (std::size_t i = 0; i < words_per_event; ++i) {
                raw[i] = slot.words[i].load(std::memory_order_relaxed);
            }
            std::atomic_thread_fence(std::memory_order_acquire);
            if (slot.version.load(std::memory_order_relaxed) != v1) continue;
            TraceEvent e;
            std::memcpy(&e, raw, sizeof e);
            data.events.push_back(e);
        }
        std::sort(data.events.begin(), data.events.end(),
                  [](const TraceEvent& a, const TraceEvent& b) { return a.seq < b.seq; });
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
    std::vector<Slot> slots;
    std::atomic<std::uint64_t> head{0};
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
    m_impl->record(event);
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
    return m_impl->head.load(std::memory_order_relaxed);
}

}  // namespace cogen::trace

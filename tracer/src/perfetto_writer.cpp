// PerfettoWriter: collect on a background thread, export at close (see perfetto_writer.hpp).
#include "cogen/trace/perfetto_writer.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <vector>

#include "cogen/trace/perfetto_export.hpp"
#include "crash_guard.hpp"
#include "drain_thread.hpp"
#include "event_pipe.hpp"

namespace cogen::trace {
namespace {
constexpr std::chrono::milliseconds flush_timeout{5000};
}

struct PerfettoWriter::Impl final : detail::Flushable {
    Impl(const std::string& path_, Options options)
        : path(path_), pipe(options.ring_capacity), batch(1024) {
        data.header = std::move(options.header);
        {
            // Fail now, not at the end of the run, when the file can't be created.
            std::ofstream probe{path, std::ios::trunc};
            if (!probe) throw std::system_error(errno, std::generic_category(), "open " + path);
        }
        thread = std::make_unique<detail::DrainThread>(options.drain_interval,
                                                       [this](bool final) { drain(final); });
        detail::register_flushable(this);
    }

    ~Impl() override {
        detail::unregister_flushable(this);
        close();
    }

    void close() {
        if (closed.exchange(true)) return;
        thread->stop();
        pipe.mark_stopped();
    }

    // Runs on the drain thread only.
    void drain(bool final) {
        for (;;) {
            const std::size_t n = pipe.pop(batch);
            for (std::uint32_t id : pipe.sync_strings())
                data.strings.set(id, pipe.strings().get(id));
            data.events.insert(data.events.end(), batch.begin(),
                               batch.begin() + static_cast<std::ptrdiff_t>(n));
            if (pipe.emptied()) break;
        }
        if (final || pipe.flush_requested()) write_file();
        pipe.mark_written();
    }

    void write_file() {
        const std::string aside = path + ".tmp";
        {
            std::ofstream out{aside, std::ios::binary | std::ios::trunc};
            export_perfetto(data, out);
            if (!out.flush()) {
                std::fprintf(stderr, "cogen trace: could not write %s\n", aside.c_str());
                return;
            }
        }
        if (std::rename(aside.c_str(), path.c_str()) != 0) {
            std::fprintf(stderr, "cogen trace: could not rename %s to %s\n", aside.c_str(),
                         path.c_str());
        }
    }

    void flush_for(detail::FlushReason reason) override {
        const bool done = flush();
        if (reason == detail::FlushReason::request && done) {
            std::fprintf(stderr, "cogen trace: wrote %s\n", path.c_str());
        }
    }
    bool flush() {
        return pipe.flush([this] { thread->wake(); }, flush_timeout);
    }

    std::string path;
    detail::EventPipe pipe;
    std::vector<TraceEvent> batch;
    TraceData data;
    std::atomic<bool> closed{false};
    std::unique_ptr<detail::DrainThread> thread;
};

PerfettoWriter::PerfettoWriter(const std::string& path) : PerfettoWriter(path, Options{}) {}

PerfettoWriter::PerfettoWriter(const std::string& path, Options options)
    : m_impl(std::make_unique<Impl>(path, std::move(options))) {}

PerfettoWriter::~PerfettoWriter() = default;

void PerfettoWriter::on_string(std::uint32_t id, std::string_view text) {
    m_impl->pipe.add_string(id, text);
}

void PerfettoWriter::on_event(const TraceEvent& event) {
    m_impl->pipe.push(event);
}

RecordRing* PerfettoWriter::record_ring() noexcept {
    return m_impl->pipe.ring();
}

void PerfettoWriter::on_close() {
    m_impl->close();
}

bool PerfettoWriter::flush() {
    return m_impl->flush();
}

std::uint64_t PerfettoWriter::dropped() const noexcept {
    return m_impl->pipe.dropped();
}

const std::string& PerfettoWriter::path() const noexcept {
    return m_impl->path;
}

}  // namespace cogen::trace

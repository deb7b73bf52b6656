// PerfettoWriter: collect on a background thread, export at close (see perfetto_writer.hpp).
#include "cogen/trace/perfetto_writer.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <vector>

#include "cogen/trace/perfetto_export.hpp"
#include "drain_thread.hpp"
#include "sink.hpp"

namespace cogen::trace {
namespace {

constexpr std::chrono::milliseconds flush_timeout{5000};

// The Sink: events gathered into a TraceData on the drain thread, exported at the end.
class PerfettoSink final : public detail::Sink {
  public:
    PerfettoSink(const std::string& path, PerfettoWriter::Options options)
        : Sink(path, options.ring_capacity), m_batch(1024) {
        m_data.header = std::move(options.header);
        {
            // Fail now, not at the end of the run, when the file can't be created.
            std::ofstream probe{path, std::ios::trunc};
            if (!probe) throw std::system_error(errno, std::generic_category(), "open " + path);
        }
        m_thread = std::make_unique<detail::DrainThread>(options.drain_interval,
                                                         [this](bool final) { drain(final); });
        detail::register_flushable(this);
    }

    ~PerfettoSink() override {
        detail::unregister_flushable(this);
        close();
    }

    void close() override {
        if (m_closed.exchange(true)) return;
        m_thread->stop();
        m_pipe.mark_stopped();
    }

    bool flush() override {
        return m_pipe.flush([this] { m_thread->wake(); }, flush_timeout);
    }

    void flush_for(detail::FlushReason reason) override {
        const bool done = flush();
        if (reason == detail::FlushReason::request && done) {
            std::fprintf(stderr, "cogen trace: wrote %s\n", m_path.c_str());
        }
    }

  private:
    // Runs on the drain thread only.
    void drain(bool final) {
        for (;;) {
            const std::size_t n = m_pipe.pop(m_batch);
            for (std::uint32_t id : m_pipe.sync_strings())
                m_data.strings.set(id, m_pipe.strings().get(id));
            m_data.events.insert(m_data.events.end(), m_batch.begin(),
                                 m_batch.begin() + static_cast<std::ptrdiff_t>(n));
            if (m_pipe.emptied()) break;
        }
        if (final || m_pipe.flush_requested()) write_file();
        m_pipe.mark_written();
    }

    void write_file() {
        const std::string aside = m_path + ".tmp";
        {
            std::ofstream out{aside, std::ios::binary | std::ios::trunc};
            export_perfetto(m_data, out);
            if (!out.flush()) {
                std::fprintf(stderr, "cogen trace: could not write %s\n", aside.c_str());
                return;
            }
        }
        if (std::rename(aside.c_str(), m_path.c_str()) != 0) {
            std::fprintf(stderr, "cogen trace: could not rename %s to %s\n", aside.c_str(),
                         m_path.c_str());
        }
    }

    std::vector<TraceEvent> m_batch;
    TraceData m_data;
    std::atomic<bool> m_closed{false};
    std::unique_ptr<detail::DrainThread> m_thread;
};

}  // namespace

PerfettoWriter::PerfettoWriter(const std::string& path) : PerfettoWriter(path, Options{}) {}

PerfettoWriter::PerfettoWriter(const std::string& path, Options options)
    : FileWriter(std::make_unique<PerfettoSink>(path, std::move(options))) {}

}  // namespace cogen::trace

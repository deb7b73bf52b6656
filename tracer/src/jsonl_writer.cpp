// JsonlWriter: ring + background thread writing JSON Lines (see jsonl_writer.hpp).
#include "cogen/trace/jsonl_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <vector>

#include "cogen/trace/jsonl_format.hpp"
#include "crash_guard.hpp"
#include "drain_thread.hpp"
#include "event_pipe.hpp"

namespace cogen::trace {
namespace {
constexpr std::size_t write_chunk = std::size_t{1} << 16;
constexpr std::chrono::milliseconds flush_timeout{2000};
}  // namespace

struct JsonlWriter::Impl final : detail::Flushable {
    Impl(const std::string& path_, Options options)
        : path(path_), header(std::move(options.header)), pipe(options.ring_capacity), batch(1024) {
        if (path == "-") {
            fd = STDOUT_FILENO;
        } else {
            fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
        }
        append_jsonl_header(buffer, header);
        write_buffer();
        thread = std::make_unique<detail::DrainThread>(options.flush_interval,
                                                       [this](bool) { drain(); });
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
        if (fd != STDOUT_FILENO) ::close(fd);
    }

    // Runs on the drain thread only.
    void drain() {
        for (;;) {
            const std::size_t n = pipe.pop(batch);
            for (std::uint32_t id : pipe.sync_strings()) {
                append_jsonl_string(buffer, id, pipe.strings().get(id));
            }
            for (std::size_t i = 0; i < n; ++i) {
                append_jsonl_event(buffer, batch[i], pipe.strings());
                if (buffer.size() >= write_chunk) write_buffer();
            }
            if (n < batch.size()) break;
        }
        write_buffer();
        pipe.mark_written();
    }

    // Whole buffers only: each write(2) ends at a newline, so the file always holds whole
    // lines, even when the process is killed between two writes.
    void write_buffer() {
        std::size_t done = 0;
        while (done < buffer.size() && !failed) {
            const ssize_t n = ::write(fd, buffer.data() + done, buffer.size() - done);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
            } else if (n < 0 && errno != EINTR) {
                failed = true;
                std::fprintf(stderr, "cogen trace: writing %s failed: %s; trace stops here\n",
                             path.c_str(), std::strerror(errno));
            }
        }
        buffer.clear();
    }

    void flush_for(detail::FlushReason reason) override {
        const bool done = flush();
        if (reason == detail::FlushReason::request && done) {
            std::fprintf(stderr, "cogen trace: flushed %s\n", path.c_str());
        }
    }

    bool flush() {
        return pipe.flush([this] { thread->wake(); }, flush_timeout);
    }

    std::string path;
    TraceHeader header;
    detail::EventPipe pipe;
    std::vector<TraceEvent> batch;
    std::string buffer;
    int fd = -1;
    bool failed = false;
    std::atomic<bool> closed{false};
    std::unique_ptr<detail::DrainThread> thread;
};

JsonlWriter::JsonlWriter(const std::string& path) : JsonlWriter(path, Options{}) {}

JsonlWriter::JsonlWriter(const std::string& path, Options options)
    : m_impl(std::make_unique<Impl>(path, std::move(options))) {}

JsonlWriter::~JsonlWriter() = default;

void JsonlWriter::on_string(std::uint32_t id, std::string_view text) {
    m_impl->pipe.add_string(id, text);
}

void JsonlWriter::on_event(const TraceEvent& event) {
    m_impl->pipe.push(event);
}

RecordRing* JsonlWriter::record_ring() noexcept {
    return m_impl->pipe.ring();
}

void JsonlWriter::on_close() {
    m_impl->close();
}

bool JsonlWriter::flush() {
    return m_impl->flush();
}

std::uint64_t JsonlWriter::dropped() const noexcept {
    return m_impl->pipe.dropped();
}

const std::string& JsonlWriter::path() const noexcept {
    return m_impl->path;
}

}  // namespace cogen::trace

// BinaryWriter: ring + background thread writing binary blocks (see binary_writer.hpp).
#include "cogen/trace/binary_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <vector>

#include "cogen/trace/binary_format.hpp"
#include "crash_guard.hpp"
#include "drain_thread.hpp"
#include "event_pipe.hpp"

namespace cogen::trace {
namespace {
constexpr std::chrono::milliseconds flush_timeout{2000};
}  // namespace

struct BinaryWriter::Impl final : detail::Flushable {
    Impl(const std::string& path_, Options options)
        : path(path_), header(std::move(options.header)), pipe(options.ring_capacity), batch(1024) {
        if (path == "-") {
            fd = STDOUT_FILENO;
        } else {
            fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
        }
        BinaryEncoder::append_header(buffer, header);
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
                encoder.add_string(id, pipe.strings().get(id));
            }
            for (std::size_t i = 0; i < n; ++i) {
                encoder.add_event(batch[i]);
                if (encoder.block_size() >= BinaryEncoder::block_target) {
                    encoder.finish_block(buffer);
                    write_buffer();
                }
            }
            if (n < batch.size()) break;
        }
        encoder.finish_block(buffer);
        write_buffer();
        pipe.mark_written();
    }

    // Whole blocks only: the file always holds whole blocks when the process is killed
    // between two writes (and whole records up to the cut when killed inside one).
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
    BinaryEncoder encoder;  // drain thread only
    std::string buffer;
    int fd = -1;
    bool failed = false;
    std::atomic<bool> closed{false};
    std::unique_ptr<detail::DrainThread> thread;
};

BinaryWriter::BinaryWriter(const std::string& path) : BinaryWriter(path, Options{}) {}

BinaryWriter::BinaryWriter(const std::string& path, Options options)
    : m_impl(std::make_unique<Impl>(path, std::move(options))) {}

BinaryWriter::~BinaryWriter() = default;

void BinaryWriter::on_string(std::uint32_t id, std::string_view text) {
    m_impl->pipe.add_string(id, text);
}

void BinaryWriter::on_event(const TraceEvent& event) {
    m_impl->pipe.push(event);
}

RecordRing* BinaryWriter::record_ring() noexcept {
    return m_impl->pipe.ring();
}

void BinaryWriter::on_close() {
    m_impl->close();
}

bool BinaryWriter::flush() {
    return m_impl->flush();
}

std::uint64_t BinaryWriter::dropped() const noexcept {
    return m_impl->pipe.dropped();
}

const std::string& BinaryWriter::path() const noexcept {
    return m_impl->path;
}

}  // namespace cogen::trace

// FileSink: the streaming file writers' shared machinery (see file_sink.hpp).
#include "file_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>

namespace cogen::trace::detail {
namespace {
constexpr std::chrono::milliseconds flush_timeout{2000};
// The drain writes once this much is waiting (and whatever is left when the ring is empty).
constexpr std::size_t write_chunk = std::size_t{1} << 16;
// Records taken from the ring at a time.
constexpr std::size_t batch_records = 256;
}  // namespace

FileSink::FileSink(std::string path, const TraceHeader& header, std::size_t ring_capacity,
                   std::chrono::milliseconds flush_interval,
                   std::unique_ptr<TraceEncoding> encoding)
    : Sink(std::move(path), ring_capacity),
      m_batch(batch_records),
      m_encoding(std::move(encoding)) {
    if (m_path == "-") {
        m_fd = STDOUT_FILENO;
    } else {
        m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m_fd < 0) throw std::system_error(errno, std::generic_category(), "open " + m_path);
    }
    m_encoding->header(m_buffer, header);
    write_buffer();
    m_thread = std::make_unique<DrainThread>(flush_interval, [this](bool) { drain(); });
    register_flushable(this);
}

FileSink::~FileSink() {
    unregister_flushable(this);
    close();
}

void FileSink::close() {
    if (m_closed.exchange(true)) return;
    m_thread->stop();
    m_pipe.mark_stopped();
    if (m_fd != STDOUT_FILENO) ::close(m_fd);
}

bool FileSink::flush() {
    return m_pipe.flush([this] { m_thread->wake(); }, flush_timeout);
}

void FileSink::flush_for(FlushReason reason) {
    const bool done = flush();
    if (reason == FlushReason::request && done) {
        std::fprintf(stderr, "cogen trace: flushed %s\n", m_path.c_str());
    }
}

void FileSink::drain() {
    for (;;) {
        const std::size_t n = m_pipe.pop_records(m_batch);
        for (std::uint32_t id : m_pipe.sync_strings()) {
            m_encoding->string(m_buffer, id, m_pipe.strings().get(id));
        }
        m_encoding->records(m_buffer, std::span<const EventRecord>{m_batch}.first(n),
                            m_pipe.strings());
        if (m_buffer.size() >= write_chunk) write_buffer();
        if (m_pipe.emptied()) break;
    }
    m_encoding->finish(m_buffer);
    write_buffer();
    m_pipe.mark_written();
}

// Whole chunks only (lines, blocks: the encoding says where one ends), so the file always
// holds whole ones when the process is killed between two writes.
void FileSink::write_buffer() {
    std::size_t done = 0;
    while (done < m_buffer.size() && !m_failed) {
        const ssize_t n = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        } else if (n < 0 && errno != EINTR) {
            m_failed = true;
            std::fprintf(stderr, "cogen trace: writing %s failed: %s; trace stops here\n",
                         m_path.c_str(), std::strerror(errno));
        }
    }
    m_buffer.clear();
}

}  // namespace cogen::trace::detail

// BufferedInput and its byte sources (see buffered_input.hpp).
#include "buffered_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace cogen::trace::detail {
namespace {

class FileSource final : public ByteSource {
  public:
    explicit FileSource(const std::string& path)
        : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (m_fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
        struct stat st {};
        if (::fstat(m_fd, &st) == 0 && S_ISREG(st.st_mode))
            m_size = static_cast<std::uint64_t>(st.st_size);
    }
    ~FileSource() override { ::close(m_fd); }
    std::size_t read(char* buffer, std::size_t size) override {
        for (;;) {
            const ssize_t n = ::read(m_fd, buffer, size);
            if (n >= 0) return static_cast<std::size_t>(n);
            if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "read");
        }
    }
    std::uint64_t size() const override { return m_size; }

  private:
    int m_fd;
    std::uint64_t m_size = 0;
};

class MemorySource final : public ByteSource {
  public:
    explicit MemorySource(std::string_view bytes) : m_rest(bytes), m_size(bytes.size()) {}
    std::size_t read(char* buffer, std::size_t size) override {
        const std::size_t n = std::min(size, m_rest.size());
        std::memcpy(buffer, m_rest.data(), n);
        m_rest.remove_prefix(n);
        return n;
    }
    std::uint64_t size() const override { return m_size; }

  private:
    std::string_view m_rest;
    std::uint64_t m_size;
};

class IstreamSource final : public ByteSource {
  public:
    explicit IstreamSource(std::istream& in) : m_in(in) {}
    std::size_t read(char* buffer, std::size_t size) override {
        m_in.read(buffer, static_cast<std::streamsize>(size));
        return static_cast<std::size_t>(m_in.gcount());
    }

  private:
    std::istream& m_in;
};

}  // namespace

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
    return std::make_unique<FileSource>(path);
}
std::unique_ptr<ByteSource> memory_source(std::string_view bytes) {
    return std::make_unique<MemorySource>(bytes);
}
std::unique_ptr<ByteSource> istream_source(std::istream& in) {
    return std::make_unique<IstreamSource>(in);
}

namespace {
// An input of known size smaller than the buffer gets a buffer its size: reading a small
// trace (a test's, a fuzzer's) then costs no 256 KiB allocation.
std::size_t fitted(const ByteSource& source, std::size_t buffer_size) {
    const std::uint64_t known = source.size();
    if (known > 0 && known < buffer_size) buffer_size = static_cast<std::size_t>(known) + 1;
    return buffer_size < 64 ? 64 : buffer_size;
}
}  // namespace

BufferedInput::BufferedInput(ByteSource& source, std::size_t buffer_size)
    : m_source(&source),
      m_buffer(fitted(source, buffer_size)),
      m_window(m_buffer.data()),
      m_size(m_buffer.size()) {}

// (A string read through a buffer cost an allocation and a copy of the whole string per
// read: a fuzzer's million reads, a live feed's every block.)
BufferedInput::BufferedInput(std::string_view bytes)
    : m_source(nullptr),
      m_window(bytes.data()),
      m_size(bytes.size()),
      m_end(bytes.size()),
      m_eof(true) {}

bool BufferedInput::refill() {
    if (m_eof) return false;  // (always, for bytes in memory: nothing is ever moved)
    if (m_pos > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_pos, m_end - m_pos);
        m_offset_base += m_pos;
        m_end -= m_pos;
        m_pos = 0;
    }
    if (m_end == m_buffer.size()) return false;
    const std::size_t n = m_source->read(m_buffer.data() + m_end, m_buffer.size() - m_end);
    if (n == 0) m_eof = true;
    m_end += n;
    return n > 0;
}

BufferedInput::LineStatus BufferedInput::next_line(std::string_view& line, std::size_t max_bytes,
                                                   bool& terminated) {
    // A line that does not fit in the buffer is gathered in m_long_line; past max_bytes it is
    // only scanned for its end, so memory stays bounded whatever the input.
    m_long_line.clear();
    bool gathering = false;
    bool too_long = false;
    std::size_t scanned = 0;  // bytes of the current window already known to hold no '\n'
    for (;;) {
        const char* start = m_window + m_pos;
        const auto* nl =
            static_cast<const char*>(std::memchr(start + scanned, '\n', m_end - m_pos - scanned));
        if (nl != nullptr) {
            const std::size_t len = static_cast<std::size_t>(nl - start);
            m_pos += len + 1;
            terminated = true;
            if (too_long || m_long_line.size() + len > max_bytes) return LineStatus::too_long;
            if (gathering) {
                m_long_line.append(start, len);
                line = m_long_line;
            } else {
                line = std::string_view{start, len};
            }
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            return LineStatus::ok;
        }
        scanned = m_end - m_pos;
        if (m_source != nullptr && m_pos + scanned == m_size && m_pos == 0) {
            // The window is full and holds no '\n': move it aside and keep reading.
            if (!too_long && m_long_line.size() + scanned <= max_bytes) {
                m_long_line.append(start, scanned);
            } else {
                too_long = true;
                m_long_line.clear();
            }
            gathering = true;
            m_offset_base += scanned;
            m_pos = m_end = 0;
            scanned = 0;
        }
        if (!refill()) {
            if (m_pos == m_end && !gathering) return LineStatus::eof;
            const std::size_t len = m_end - m_pos;
            terminated = false;
            if (too_long || m_long_line.size() + len > max_bytes) {
                m_pos = m_end;
                return LineStatus::too_long;
            }
            if (gathering) {
                m_long_line.append(m_window + m_pos, len);
                line = m_long_line;
            } else {
                line = std::string_view{m_window + m_pos, len};
            }
            m_pos = m_end;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            return LineStatus::ok;
        }
        // refill() moved the unread bytes to the front: `scanned` still counts from m_pos.
    }
}

}  // namespace cogen::trace::detail

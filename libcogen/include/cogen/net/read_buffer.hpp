// ReadBuffer: the bytes a Socket received but nobody consumed yet — what
// ReadLine and Read keep between calls (cogen's makefile() buffer).
// Filled by one recv() per run() attempt. docs/sockets.md.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cogen::net {

/// A growable byte queue with one recv() at its tail.
///
///     ReadBuffer& in = sock.read_buffer();
///     if (in.view().find('\n') != std::string_view::npos) ...
///     std::string line = in.take(n);
class ReadBuffer {
  public:
    ReadBuffer() noexcept = default;
    ReadBuffer(ReadBuffer&& other) noexcept;
    ReadBuffer& operator=(ReadBuffer&& other) noexcept;

    std::size_t size() const noexcept { return m_end - m_start; }
    bool empty() const noexcept { return m_end == m_start; }
    /// The buffered bytes (valid until the next fill/take/clear).
    std::string_view view() const noexcept { return {m_data.get() + m_start, size()}; }
    /// Removes and returns the first `n` bytes (n ≤ size()).
    std::string take(std::size_t n);
    /// Removes and returns everything.
    std::string take_all() { return take(size()); }
    /// Drops the first `n` bytes (n ≤ size()).
    void consume(std::size_t n) noexcept;
    void clear() noexcept { m_start = m_end = 0; }

    /// One non-blocking recv() of up to `max` bytes, appended (the storage is allocated when
    /// the first bytes arrive: an idle socket has none). Returns what
    /// recv() returned (-1 with errno set, 0 at EOF); EINTR is retried.
    ssize_t fill(int fd, std::size_t max);

  private:
    std::unique_ptr<char[]> m_data;
    std::size_t m_capacity = 0;
    std::size_t m_start = 0;  // first unconsumed byte
    std::size_t m_end = 0;    // one past the last received byte
};

}  // namespace cogen::net

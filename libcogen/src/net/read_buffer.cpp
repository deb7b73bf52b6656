// ReadBuffer: compact-or-grow before each recv(), so the tail always has room.
#include "cogen/net/read_buffer.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "detail/syscalls.hpp"

namespace cogen::net {

ReadBuffer::ReadBuffer(ReadBuffer&& other) noexcept
    : m_data(std::move(other.m_data)),
      m_capacity(std::exchange(other.m_capacity, 0)),
      m_start(std::exchange(other.m_start, 0)),
      m_end(std::exchange(other.m_end, 0)) {}

ReadBuffer& ReadBuffer::operator=(ReadBuffer&& other) noexcept {
    m_data = std::move(other.m_data);
    m_capacity = std::exchange(other.m_capacity, 0);
    m_start = std::exchange(other.m_start, 0);
    m_end = std::exchange(other.m_end, 0);
    return *this;
}

std::string ReadBuffer::take(std::size_t n) {
    n = std::min(n, size());
    std::string out(m_data.get() + m_start, n);
    consume(n);
    return out;
}

void ReadBuffer::consume(std::size_t n) noexcept {
    m_start += std::min(n, size());
    if (m_start == m_end) m_start = m_end = 0;
}

namespace {

ssize_t recv_retrying(int fd, char* at, std::size_t max) {
    ssize_t n;
    do {
        n = cogen::detail::sys_recv(fd, at, max, 0);
    } while (n < 0 && errno == EINTR);
    return n;
}

}  // namespace

ssize_t ReadBuffer::fill(int fd, std::size_t max) {
    if (m_capacity == 0) {
        // No storage yet: receive on the stack first, so that a connection that is only
        // waiting (most of a server's, most of the time) costs no buffer. The first bytes
        // that arrive allocate it.
        char first[16384];
        const ssize_t n = recv_retrying(fd, first, std::min(max, sizeof first));
        if (n <= 0) return n;
        m_capacity = std::max(max, static_cast<std::size_t>(n));
        m_data = std::make_unique_for_overwrite<char[]>(m_capacity);
        std::memcpy(m_data.get(), first, static_cast<std::size_t>(n));
        m_start = 0;
        m_end = static_cast<std::size_t>(n);
        return n;
    }
    if (m_capacity - m_end < max) {
        const std::size_t held = size();
        if (m_capacity - held >= max && m_start > 0) {
            std::memmove(m_data.get(), m_data.get() + m_start, held);
        } else {
            const std::size_t capacity = std::max(m_capacity * 2, held + max);
            auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
            if (held) std::memcpy(bigger.get(), m_data.get() + m_start, held);
            m_data = std::move(bigger);
            m_capacity = capacity;
        }
        m_start = 0;
        m_end = held;
    }
    const ssize_t n = recv_retrying(fd, m_data.get() + m_end, max);
    if (n > 0) m_end += static_cast<std::size_t>(n);
    return n;
}

}  // namespace cogen::net

// SendFile: send a file's bytes to a socket with sendfile(2), no copy through
// user space (cogen's sockets.SendFile). Tutorial 06.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <cstdio>
#include <optional>

#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// Send `length` bytes (default: up to the end of the file) of `file_fd`,
/// starting at `offset` (default: the file's current position, which then
/// advances).
///
///     int fd = ::open("index.html", O_RDONLY);
///     std::size_t n = co_await sock.sendfile(fd);            // whole file from its position
///     co_await sock.sendfile(fd, 100, 200);                    // bytes 100..299
///
/// Yields the bytes sent (fewer than `length` only if the file is shorter).
/// The timeout applies (cogen ignored it, Q20); each partial send records
/// progress. With a std::FILE*, its position moves past the bytes sent.
/// Throws ConnectionClosed (broken pipe, reset — SIGPIPE is never raised),
/// SocketError, OperationTimeout.
class [[nodiscard]] SendFile final : public SocketOperation<std::size_t> {
  public:
    [[nodiscard]] SendFile(Socket& sock, int file_fd, std::optional<off_t> offset = std::nullopt,
                           std::optional<std::size_t> length = std::nullopt, Timeout timeout = {},
                           std::FILE* file = nullptr, Priority prio = Priority::DEFAULT)
        : SocketOperation(sock, timeout, prio),
          m_file_fd(file_fd),
          m_offset(offset),
          m_length(length),
          m_file(file) {}

    // Operation protocol, in call order -------------------------------------
    // 1. process(): SocketOperation's try-now-or-park
    Progress run() override;                              // 2. sendfile() until blocked or done
    std::size_t finalize(SchedulerCore& sched) override;  // 3. bytes sent
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::write; }
    std::string_view name() const override { return "SendFile"; }

    /// Bytes sent so far (useful after a timeout).
    std::size_t sent() const noexcept { return m_sent; }

  private:
    int m_file_fd;
    std::optional<off_t> m_offset;  // advanced by sendfile() when set
    std::optional<std::size_t> m_length;
    std::FILE* m_file;
    std::size_t m_sent = 0;
};

}  // namespace cogen::net

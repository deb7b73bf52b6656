// Fill: receive more bytes into the socket's read buffer — the building
// block of protocol parsers that look at sock.read_buffer() (the HTTP
// server). Loop phases: process (try now), proactor (readable). Tutorial 06.
#pragma once
#include <cstddef>

#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// One recv() of up to `max_bytes` appended to the socket's read buffer.
///
///     while (sock.read_buffer().view().find("\r\n\r\n") == npos)
///         co_await sock.fill();
///
/// Yields how many bytes were added (≥ 1). Throws ConnectionClosed("Empty
/// recv.") at EOF (what was buffered stays buffered), ConnectionClosed on a
/// reset, SocketError, OperationTimeout. Unlike the other reads it always
/// waits for new bytes, even when some are buffered already.
class [[nodiscard]] Fill final : public SocketOperation<std::size_t> {
  public:
    [[nodiscard]] explicit Fill(Socket& sock, std::size_t max_bytes = 16384, Timeout timeout = {},
                                Priority prio = Priority::DEFAULT)
        : SocketOperation(sock, timeout, prio), m_max_bytes(max_bytes ? max_bytes : 1) {}

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. try now or park
    Progress run() override;                                              // 2. one recv()
    std::size_t finalize(SchedulerCore& sched) override;                  // 3. bytes added
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::read; }
    std::string_view name() const override { return "Fill"; }

  private:
    std::size_t m_max_bytes;
    std::size_t m_added = 0;
};

}  // namespace cogen::net

// Recv: receive up to N bytes from a socket (cogen's sockets.Recv).
// Loop phases: process (try now), proactor (run on readable). Tutorial 06.
#pragma once
#include <cstddef>
#include <string>

#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// Receive up to `max_bytes` bytes.
///
///     std::string chunk = co_await sock.recv(4096, 1s);   // or Recv{sock, 4096}
///
/// Yields at least one byte: bytes already in the socket's read buffer
/// first, else one recv(). Throws ConnectionClosed("Empty recv.") at EOF,
/// ConnectionClosed on a reset, SocketError on other errors,
/// OperationTimeout when the deadline passes first.
class [[nodiscard]] Recv final : public SocketOperation<std::string> {
  public:
    [[nodiscard]] Recv(Socket& sock, std::size_t max_bytes, Timeout timeout = {},
                       Priority prio = Priority::DEFAULT);

    // Operation protocol, in call order -------------------------------------
    // 1. SocketOperation's try-now-or-park, instantiated here where the type is final:
    //    interest() and run() are direct calls, not virtual ones
    Disposition process(SchedulerCore& sched, Coroutine& coro) override {
        return try_now_or_park(sched, coro);
    }
    Progress run() override;                              // 2. one recv()
    std::string finalize(SchedulerCore& sched) override;  // 3. the bytes
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::read; }
    std::string_view name() const override { return "Recv"; }

  private:
    std::size_t m_max_bytes;
    std::string m_received;
};

// Socket's factory, inline: the await builds the op in place.
inline Recv Socket::recv(std::size_t max_bytes, Timeout timeout, Priority prio) {
    return Recv{*this, max_bytes, timeout, prio};
}

}  // namespace cogen::net

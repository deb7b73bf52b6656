// RecvInto: receive into a caller's buffer, without allocating — Recv for
// servers that parse in place (the HTTP server, benchmarks). Tutorial 06.
#pragma once
#include <cstddef>
#include <span>

#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// Receive up to `buffer.size()` bytes into `buffer`.
///
///     std::array<char, 16384> buf;
///     std::size_t n = co_await sock.recv_into(buf);
///
/// Yields the byte count (≥ 1); the socket's read buffer is served first.
/// Errors as Recv: ConnectionClosed("Empty recv.") at EOF, ConnectionClosed
/// on reset, SocketError, OperationTimeout. `buffer` must outlive the await.
class [[nodiscard]] RecvInto final : public SocketOperation<std::size_t> {
  public:
    [[nodiscard]] RecvInto(Socket& sock, std::span<char> buffer, Timeout timeout = {},
                           Priority prio = Priority::DEFAULT)
        : SocketOperation(sock, timeout, prio), m_buffer(buffer) {}

    // Operation protocol, in call order -------------------------------------
    // 1. SocketOperation's try-now-or-park, instantiated here where the type is final:
    //    interest() and run() are direct calls, not virtual ones. An empty buffer fails at
    //    once (EINVAL), whatever the readiness cache says.
    Disposition process(SchedulerCore& sched, Coroutine& coro) override {
        return try_now_or_park(sched, coro, m_buffer.empty());
    }
    Progress run() override;                              // 2. one recv()
    std::size_t finalize(SchedulerCore& sched) override;  // 3. the byte count
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::read; }
    std::string_view name() const override { return "RecvInto"; }

  private:
    std::span<char> m_buffer;
    std::size_t m_received = 0;
};

// Socket's factory, inline: the await builds the op in place.
inline RecvInto Socket::recv_into(std::span<char> buffer, Timeout timeout, Priority prio) {
    return RecvInto{*this, buffer, timeout, prio};
}

}  // namespace cogen::net

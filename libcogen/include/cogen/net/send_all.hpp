// SendAll: send every byte, over as many send() calls and readiness waits as
// it takes (cogen's sockets.SendAll). Tutorial 06.
#pragma once
#include <cstddef>
#include <string_view>

#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// Send all of `bytes`.
///
///     co_await sock.sendall(response, {5s, true});   // weak: 5 s without progress
///
/// Yields bytes.size(). Each partial send records progress, so a weak
/// timeout only fires after that long without any byte going out. Throws
/// ConnectionClosed on a broken pipe or reset (how much went out is lost
/// with the connection), SocketError, OperationTimeout. `bytes` must stay
/// alive until the co_await completes.
class [[nodiscard]] SendAll final : public SocketOperation<std::size_t> {
  public:
    [[nodiscard]] SendAll(Socket& sock, std::string_view bytes, Timeout timeout = {},
                          Priority prio = Priority::DEFAULT)
        : SocketOperation(sock, timeout, prio), m_bytes(bytes) {}

    // Operation protocol, in call order -------------------------------------
    // 1. SocketOperation's try-now-or-park, instantiated here where the type is final:
    //    interest() and run() are direct calls, not virtual ones
    Disposition process(SchedulerCore& sched, Coroutine& coro) override {
        return try_now_or_park(sched, coro);
    }
    Progress run() override;                              // 2. send() until blocked or done
    std::size_t finalize(SchedulerCore& sched) override;  // 3. bytes.size()
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::write; }
    std::string_view name() const override { return "SendAll"; }

    /// Bytes sent so far (useful after a timeout).
    std::size_t sent() const noexcept { return m_sent; }

  private:
    std::string_view m_bytes;
    std::size_t m_sent = 0;
};

// Socket's factory, inline: the await builds the op in place.
inline SendAll Socket::sendall(std::string_view bytes, Timeout timeout, Priority prio) {
    return SendAll{*this, bytes, timeout, prio};
}

}  // namespace cogen::net

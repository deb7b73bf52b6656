// Send: one send() of some bytes, possibly partial (cogen's sockets.Send).
// Loop phases: process (try now), proactor (run on writable). Tutorial 06.
#pragma once
#include <cstddef>
#include <string_view>

#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// Send some of `bytes` with one send().
///
///     std::size_t n = co_await sock.send(data);   // 1..data.size() bytes went out
///
/// Yields how many bytes the kernel took (0 only for empty `bytes`). Throws
/// ConnectionClosed on a broken pipe or reset, SocketError on other errors,
/// OperationTimeout. `bytes` must stay alive until the co_await completes.
/// Never raises SIGPIPE (MSG_NOSIGNAL).
class [[nodiscard]] Send final : public SocketOperation<std::size_t> {
  public:
    [[nodiscard]] Send(Socket& sock, std::string_view bytes, Timeout timeout = {},
                       Priority prio = Priority::DEFAULT)
        : SocketOperation(sock, timeout, prio), m_bytes(bytes) {}

    // Operation protocol, in call order -------------------------------------
    // 1. SocketOperation's try-now-or-park, instantiated here where the type is final:
    //    interest() and run() are direct calls, not virtual ones
    Disposition process(SchedulerCore& sched, Coroutine& coro) override {
        return try_now_or_park(sched, coro);
    }
    Progress run() override;                              // 2. one send()
    std::size_t finalize(SchedulerCore& sched) override;  // 3. bytes sent
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::write; }
    std::string_view name() const override { return "Send"; }

  private:
    std::string_view m_bytes;
    std::size_t m_sent = 0;
};

// Socket's factory, inline: the await builds the op in place.
inline Send Socket::send(std::string_view bytes, Timeout timeout, Priority prio) {
    return Send{*this, bytes, timeout, prio};
}

}  // namespace cogen::net

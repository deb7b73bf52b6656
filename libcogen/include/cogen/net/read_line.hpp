// ReadLine: read through the next '\n' using the socket's read buffer
// (cogen's makefile().readline). Tutorial 06.
#pragma once
#include <cstddef>
#include <string>

#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// Read one line, '\n' included, of at most `max_len` bytes.
///
///     std::string line = co_await sock.readline(1024);
///
/// Stops at the first '\n' or after `max_len` bytes, whichever comes
/// first; what was received beyond that stays in the socket's read buffer
/// for the next readline/read/recv. At EOF a partial last line is returned
/// (cogen lost it, Q17); EOF with nothing buffered throws
/// ConnectionClosed("Empty recv."). Bytes arriving record progress (weak
/// timeouts). max_len = npos means no limit.
class [[nodiscard]] ReadLine final : public SocketOperation<std::string> {
  public:
    [[nodiscard]] ReadLine(Socket& sock, std::size_t max_len = std::string::npos,
                           Timeout timeout = {}, Priority prio = Priority::DEFAULT)
        : SocketOperation(sock, timeout, prio), m_max_len(max_len) {}

    // Operation protocol, in call order -------------------------------------
    /// 1. SocketOperation's try-now-or-park; readline(0) needs no byte and completes at
    ///    once (with ""), whatever the readiness cache says.
    Disposition process(SchedulerCore& sched, Coroutine& coro) override {
        return try_now_or_park(sched, coro, m_max_len == 0);
    }
    Progress run() override;                              // 2. recv() until a line is buffered
    std::string finalize(SchedulerCore& sched) override;  // 3. the line
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::read; }
    std::string_view name() const override { return "ReadLine"; }

  private:
    std::size_t m_max_len;
    std::size_t m_scanned = 0;  // buffered bytes already searched for '\n'
    std::string m_line;
};

}  // namespace cogen::net

// Read: read exactly N bytes, or everything until EOF, through the socket's
// read buffer (cogen's makefile().read and RecvAll). Tutorial 06.
#pragma once
#include <cstddef>
#include <string>

#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// Read exactly `n` bytes, or (Read::until_eof / sock.read()) all bytes
/// until the peer closes.
///
///     std::string body = co_await sock.read(content_length);
///     std::string rest = co_await sock.read();   // to EOF
///
/// Surplus bytes stay in the socket's read buffer. When the peer closes
/// before `n` bytes arrived, throws ConnectionClosed whose partial() holds
/// the bytes received (they are not lost). Reading to EOF returns the data
/// (cogen threw it away, Q17). Bytes arriving record progress (weak timeouts).
class [[nodiscard]] Read final : public SocketOperation<std::string> {
  public:
    [[nodiscard]] Read(Socket& sock, std::size_t n, Timeout timeout = {},
                       Priority prio = Priority::DEFAULT)
        : SocketOperation(sock, timeout, prio), m_n(n) {}
    /// Read until EOF.
    static Read until_eof(Socket& sock, Timeout timeout = {}, Priority prio = Priority::DEFAULT) {
        return Read{sock, 0, timeout, prio, true};
    }

    // Operation protocol, in call order -------------------------------------
    /// 1. SocketOperation's try-now-or-park; a read the buffered bytes already satisfy
    ///    (read(0) included) completes at once, whatever the readiness cache says.
    Disposition process(SchedulerCore& sched, Coroutine& coro) override {
        return try_now_or_park(sched, coro, !m_to_eof && socket().read_buffer().size() >= m_n);
    }
    Progress run() override;                              // 2. recv() until n bytes (or EOF)
    std::string finalize(SchedulerCore& sched) override;  // 3. the bytes
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::read; }
    std::string_view name() const override { return "Read"; }

  private:
    Read(Socket& sock, std::size_t n, Timeout timeout, Priority prio, bool to_eof)
        : SocketOperation(sock, timeout, prio), m_n(n), m_to_eof(to_eof) {}

    std::size_t m_n;
    bool m_to_eof = false;
    std::string m_data;
};

}  // namespace cogen::net

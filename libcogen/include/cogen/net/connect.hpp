// Connect: connect a socket to an address (cogen's sockets.Connect). Always
// tried at once; waits for writability while the handshake runs. Tutorial 06.
#pragma once
#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// Connect `sock` to `address`.
///
///     auto sock = Socket::tcp();
///     co_await sock.connect(Address::ip("127.0.0.1", 8080), 2s);
///
/// connect() is issued in process() whatever proactor_multiplex_first says
/// (cogen does the same); an in-progress handshake parks until the socket is
/// writable, then SO_ERROR tells the outcome. A refused connection throws
/// SocketError with ECONNREFUSED on every backend (cogen differed per
/// backend, Q18); the deadline throws OperationTimeout (close the socket:
/// it is left half-connected).
class [[nodiscard]] Connect final : public SocketOperation<void> {
  public:
    [[nodiscard]] Connect(Socket& sock, const Address& address, Timeout timeout = {},
                          Priority prio = Priority::DEFAULT)
        : SocketOperation(sock, timeout, prio), m_address(address) {}

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. connect() now
    Progress run() override;  // 2. writable: read SO_ERROR
    // 3. finalize(): nothing to return
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::write; }
    std::string_view name() const override { return "Connect"; }

  private:
    Progress failed(int err);

    Address m_address;
    bool m_started = false;  // connect() was issued and is in progress
};

}  // namespace cogen::net

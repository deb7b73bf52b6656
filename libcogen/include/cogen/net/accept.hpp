// Accept: take the next connection of a listening socket (cogen's
// sockets.Accept). Loop phases: process (try now), proactor (readable). Tutorial 06.
#pragma once
#include <utility>

#include "cogen/net/socket_operation.hpp"

namespace cogen::net {

/// Accept one connection.
///
///     auto [conn, peer] = co_await listener.accept();   // Socket, Address
///
/// The new socket is non-blocking and has no timeout of its own (cogen's
/// behaviour, Q19); the listener's timeout applies to this accept. Throws
/// SocketError (EMFILE when out of descriptors, ...) and OperationTimeout;
/// a connection aborted before it was taken is skipped silently.
class [[nodiscard]] Accept final : public SocketOperation<std::pair<Socket, Address>> {
  public:
    [[nodiscard]] explicit Accept(Socket& listener, Timeout timeout = {},
                                  Priority prio = Priority::DEFAULT)
        : SocketOperation(listener, timeout, prio) {}

    // Operation protocol, in call order -------------------------------------
    // 1. process(): SocketOperation's try-now-or-park
    Progress run() override;                                             // 2. one accept4()
    std::pair<Socket, Address> finalize(SchedulerCore& sched) override;  // 3. the connection
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::read; }
    std::string_view name() const override { return "Accept"; }

  private:
    Socket m_conn;
    Address m_peer;
};

}  // namespace cogen::net

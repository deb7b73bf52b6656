// BodyRead: read (part of) a request body — Content-Length or chunked —
// from the connection, decoding as it goes. Loop phases: process, proactor.
// docs/http.md.
#pragma once
#include <cstddef>
#include <string>

#include "cogen/net/socket_operation.hpp"
#include "cogen/web/request.hpp"

namespace cogen::web {

/// Read body bytes of `req`: up to N bytes, one line, or all of it.
///
///     std::string piece = co_await req.read(400);
///     std::string line = co_await req.readline(512);
///     std::string all = co_await req.read_all();
///
/// Yields "" once the body is exhausted. A request sent with
/// "Expect: 100-continue" gets its "100 Continue" on the first read.
class BodyRead final : public net::SocketOperation<std::string> {
  public:
    enum class Mode { some, line, all };

    BodyRead(Request& req, Mode mode, std::size_t max_bytes, Timeout timeout = {})
        : SocketOperation(req.socket(), timeout), m_req(&req), m_mode(mode), m_max(max_bytes) {}

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. decoded already?
    Progress run() override;                                              // 2. recv and decode
    std::string finalize(SchedulerCore& sched) override;                  // 3. the bytes
    // 4. cleanup(): SocketOperation's, leaves the proactor

    Interest interest() const noexcept override { return Interest::read; }
    std::string_view name() const override { return "BodyRead"; }

  private:
    bool decode();        // moves socket bytes into the request's decoded body
    bool try_complete();  // takes the result when enough is decoded

    Request* m_req;
    Mode m_mode;
    std::size_t m_max;
    std::string m_result;
};

}  // namespace cogen::web

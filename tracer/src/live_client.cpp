// LiveClient: connect to a LiveFeed and decode what arrives (see live_client.hpp).
#include "cogen/trace/live_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "cogen/trace/jsonl_decoder.hpp"
#include "cogen/trace/live_address.hpp"
#include "socket_util.hpp"

namespace cogen::trace {

struct LiveClient::Impl {
    Impl(std::string_view address, const ReadOptions& options)
        : fd(detail::connect_to(parse_live_address(address))), decoder(data, options) {
        detail::set_nonblocking(fd);
    }
    ~Impl() {
        if (fd >= 0) ::close(fd);
    }
    int fd;
    TraceData data;
    JsonlDecoder decoder;
};

LiveClient::LiveClient(std::string_view address, ReadOptions options)
    : m_impl(std::make_unique<Impl>(address, options)) {}

LiveClient::~LiveClient() = default;

std::size_t LiveClient::poll(std::chrono::milliseconds timeout) {
    Impl& m = *m_impl;
    if (m.fd < 0) return 0;
    pollfd pfd{m.fd, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(timeout.count())) <= 0) return 0;
    std::size_t added = 0;
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::recv(m.fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            added += m.decoder.feed(std::string_view{buffer, static_cast<std::size_t>(n)});
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) break;
        m.decoder.finish();
        ::close(m.fd);
        m.fd = -1;
        break;
    }
    return added;
}

bool LiveClient::connected() const noexcept {
    return m_impl->fd >= 0;
}
bool LiveClient::has_header() const noexcept {
    return m_impl->decoder.has_header();
}
const TraceData& LiveClient::data() const noexcept {
    return m_impl->data;
}
TraceData& LiveClient::data() noexcept {
    return m_impl->data;
}
const ReadReport& LiveClient::report() const noexcept {
    return m_impl->decoder.report();
}

}  // namespace cogen::trace

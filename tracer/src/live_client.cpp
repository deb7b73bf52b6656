// LiveClient: connect to a LiveFeed and decode what arrives (see live_client.hpp).
#include "cogen/trace/live_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <optional>

#include "cogen/trace/binary_decoder.hpp"
#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/jsonl_decoder.hpp"
#include "cogen/trace/live_address.hpp"
#include "cogen/trace/live_feed.hpp"
#include "socket_util.hpp"

namespace cogen::trace {

// The hello asks for the binary format; the first byte that arrives says which one came (a
// feed that does not know the hello, or a file-like source, speaks JSON Lines).
struct LiveClient::Impl {
    Impl(std::string_view address, const ReadOptions& options)
        : fd(detail::connect_to(parse_live_address(address))), options(options) {
        // A fresh socket takes these few bytes at once; if it did not, the feed would wait
        // live_hello_wait and send JSON Lines, which are read as well.
        [[maybe_unused]] const ssize_t n =
            ::send(fd, live_binary_hello.data(), live_binary_hello.size(), MSG_NOSIGNAL);
        detail::set_nonblocking(fd);
    }
    ~Impl() {
        if (fd >= 0) ::close(fd);
    }
    std::size_t feed(std::string_view bytes) {
        if (!binary && !lines) {
            if (looks_binary(bytes.substr(0, 1))) {
                binary.emplace(data, options);
            } else {
                lines.emplace(data, options);
            }
        }
        return binary ? binary->feed(bytes) : lines->feed(bytes);
    }
    void finish() {
        if (binary) binary->finish();
        if (lines) lines->finish();
    }
    int fd;
    ReadOptions options;
    TraceData data;
    std::optional<BinaryDecoder> binary;
    std::optional<JsonlDecoder> lines;
    ReadReport nothing;  // report() before any byte came
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
            added += m.feed(std::string_view{buffer, static_cast<std::size_t>(n)});
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) break;
        m.finish();
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
    const Impl& m = *m_impl;
    return m.binary ? m.binary->has_header() : m.lines && m.lines->has_header();
}
const TraceData& LiveClient::data() const noexcept {
    return m_impl->data;
}
TraceData& LiveClient::data() noexcept {
    return m_impl->data;
}
const ReadReport& LiveClient::report() const noexcept {
    const Impl& m = *m_impl;
    return m.binary ? m.binary->report() : m.lines ? m.lines->report() : m.nothing;
}

}  // namespace cogen::trace

// Request: sets up the body decoder from the head's framing.
#include "cogen/web/request.hpp"

#include "cogen/web/body_read.hpp"

namespace cogen::web {

Request::Request(RequestHead head, net::Socket& conn, const Limits& limits, net::Address peer)
    : m_head(std::move(head)), m_conn(&conn), m_peer(peer) {
    if (m_head.chunked) {
        m_chunked.emplace(limits.max_body_bytes);
        m_body_done = false;
    } else if (m_head.content_length && *m_head.content_length > 0) {
        m_length_left = *m_head.content_length;
        m_body_done = false;
    }
    m_send_continue = m_head.expect_continue && !m_body_done;
}

std::optional<std::uint64_t> Request::body_left() const noexcept {
    if (m_chunked) return std::nullopt;
    return m_length_left + m_decoded.size();
}

BodyRead Request::read(std::size_t max_bytes, Timeout timeout) {
    return BodyRead{*this, BodyRead::Mode::some, max_bytes ? max_bytes : 1, timeout};
}

BodyRead Request::readline(std::size_t max_len, Timeout timeout) {
    return BodyRead{*this, BodyRead::Mode::line, max_len ? max_len : 1, timeout};
}

BodyRead Request::read_all(Timeout timeout) {
    return BodyRead{*this, BodyRead::Mode::all, 0, timeout};
}

}  // namespace cogen::web

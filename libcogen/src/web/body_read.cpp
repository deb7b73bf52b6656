// BodyRead: decode what the socket's read buffer holds (Content-Length or
// chunked), recv() more while the handler's request is not satisfied.
#include "cogen/web/body_read.hpp"

#include <sys/socket.h>

#include <algorithm>

#include "cogen/web/http_error.hpp"
#include "detail/syscalls.hpp"

namespace cogen::web {

namespace {
constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::size_t chunk = 16384;
}  // namespace

// 1. Answer "Expect: 100-continue" once; complete at once when the decoded
//    body already satisfies the read, else try-now-or-park as any recv.
Disposition BodyRead::process(SchedulerCore& sched, Coroutine& coro) {
    if (m_req->m_send_continue) {
        m_req->m_send_continue = false;
        // 25 bytes on a connection waiting for them: never blocks in practice.
        cogen::detail::sys_send(fd(), continue_line.data(), continue_line.size(), MSG_NOSIGNAL);
    }
    if (decode() && try_complete()) return Disposition::complete;
    if (failed()) return Disposition::complete;
    return try_now_or_park(sched, coro);
}

// 2. Decode buffered bytes; recv() more until the read is satisfied.
Progress BodyRead::run() {
    std::size_t moved = 0;
    for (;;) {
        if (!decode() || try_complete()) return Progress::done;
        const ssize_t n = socket().read_buffer().fill(fd(), chunk);
        if (n > 0) {
            moved += static_cast<std::size_t>(n);
            m_transferred = static_cast<std::int64_t>(moved);
            continue;
        }
        if (n == 0) return fail_eof(std::move(m_req->m_decoded));  // client left mid-body
        if (!net::detail::would_block(errno)) return fail_errno(errno, "recv");
        if (moved) record_progress();
        return Progress::again;
    }
}

// 3. The bytes read.
std::string BodyRead::finalize(SchedulerCore&) {
    return std::move(m_result);
}

// Moves body bytes from the socket's buffer into m_decoded; false (and the
// op failed) when the chunked coding is malformed or too large.
bool BodyRead::decode() {
    Request& r = *m_req;
    net::ReadBuffer& in = socket().read_buffer();
    if (r.m_body_done || in.empty()) return true;
    if (r.m_chunked) {
        in.consume(r.m_chunked->feed(in.view(), r.m_decoded));
        if (r.m_chunked->failed()) {
            fail(HttpError(r.m_chunked->error_status(), "bad chunked request body"));
            return false;
        }
        r.m_body_done = r.m_chunked->done();
        return true;
    }
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(r.m_length_left, in.size()));
    r.m_decoded.append(in.view().substr(0, n));
    in.consume(n);
    r.m_length_left -= n;
    r.m_body_done = r.m_length_left == 0;
    return true;
}

// Takes the result if what is decoded answers the read.
bool BodyRead::try_complete() {
    std::string& d = m_req->m_decoded;
    const bool done = m_req->m_body_done;
    std::size_t take = std::string::npos;
    switch (m_mode) {
        case Mode::some:
            if (!d.empty() || done) take = std::min(m_max, d.size());
            break;
        case Mode::line: {
            const std::size_t nl = std::string_view(d).substr(0, m_max).find('\n');
            if (nl != std::string::npos) {
                take = nl + 1;
            } else if (d.size() >= m_max || done) {
                take = std::min(m_max, d.size());
            }
            break;
        }
        case Mode::all:
            if (done) take = d.size();
            break;
    }
    if (take == std::string::npos) return false;
    if (take == d.size()) {
        m_result = std::move(d);
        d.clear();
    } else {
        m_result.assign(d, 0, take);
        d.erase(0, take);
    }
    return true;
}

}  // namespace cogen::web

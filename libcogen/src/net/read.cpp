// Read: fill the read buffer until it holds n bytes (or the peer closes).
#include "cogen/net/read.hpp"

#include <algorithm>

namespace cogen::net {

namespace {
constexpr std::size_t min_chunk = 16384;
constexpr std::size_t max_chunk = std::size_t{4} << 20;
}  // namespace

// 2. recv() what is missing (at least a chunk) until done, EOF or EAGAIN.
Progress Read::run() {
    ReadBuffer& in = socket().read_buffer();
    std::size_t moved = 0;
    for (;;) {
        if (!m_to_eof && in.size() >= m_n) {
            m_data = in.take(m_n);
            return Progress::done;
        }
        const std::size_t missing = m_to_eof ? 0 : m_n - in.size();
        const ssize_t n = in.fill(fd(), std::clamp(missing, min_chunk, max_chunk));
        if (n > 0) {
            moved += static_cast<std::size_t>(n);
            m_transferred = static_cast<std::int64_t>(moved);
            continue;
        }
        if (n == 0) {
            if (m_to_eof) {
                m_data = in.take_all();
                return Progress::done;
            }
            return fail_eof(in.take_all());  // partial() keeps what arrived
        }
        if (!detail::would_block(errno)) return fail_errno(errno, "recv");
        if (moved) record_progress();
        return Progress::again;
    }
}

// 3. Exactly n bytes, or everything up to EOF.
std::string Read::finalize(SchedulerCore&) {
    return std::move(m_data);
}

}  // namespace cogen::net

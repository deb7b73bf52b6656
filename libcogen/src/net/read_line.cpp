// ReadLine: search the read buffer for '\n'; recv() more while there is none.
#include "cogen/net/read_line.hpp"

#include <algorithm>

namespace cogen::net {

namespace {
constexpr std::size_t chunk = 16384;  // one recv() asks for this much
}

// 2. Serve from the buffer; else receive until a line (or the limit, or EOF).
Progress ReadLine::run() {
    ReadBuffer& in = socket().read_buffer();
    std::size_t moved = 0;
    for (;;) {
        const std::string_view have = in.view();
        const std::size_t limit = std::min(have.size(), m_max_len);
        const std::size_t nl = have.substr(0, limit).find('\n', std::min(m_scanned, limit));
        if (nl != std::string_view::npos) {
            m_line = in.take(nl + 1);
            return Progress::done;
        }
        if (have.size() >= m_max_len) {
            m_line = in.take(m_max_len);
            return Progress::done;
        }
        m_scanned = have.size();
        const ssize_t n = in.fill(fd(), chunk);
        if (n > 0) {
            moved += static_cast<std::size_t>(n);
            m_transferred = static_cast<std::int64_t>(moved);
            continue;
        }
        if (n == 0) {
            if (in.empty()) return fail_eof();
            m_line = in.take_all();  // the partial last line (Q17)
            return Progress::done;
        }
        if (!detail::would_block(errno)) return fail_errno(errno, "recv");
        if (moved) record_progress();
        return Progress::again;
    }
}

// 3. The line, '\n' included (absent for a size-limited or last line).
std::string ReadLine::finalize(SchedulerCore&) {
    return std::move(m_line);
}

}  // namespace cogen::net

// EventPipe: ring, strings and flush handshake of a background sink (see event_pipe.hpp).
#include "event_pipe.hpp"

namespace cogen::trace::detail {

void EventPipe::add_string(std::uint32_t id, std::string_view text) {
    // NOTE: a lock, but not on the hot path: each string is announced once.
    std::lock_guard lock{m_strings_mutex};
    m_new_strings.emplace_back(id, std::string(text));
}

std::vector<std::uint32_t> EventPipe::sync_strings() {
    std::vector<std::pair<std::uint32_t, std::string>> fresh;
    {
        std::lock_guard lock{m_strings_mutex};
        fresh.swap(m_new_strings);
    }
    std::vector<std::uint32_t> ids;
    ids.reserve(fresh.size());
    for (auto& [id, text] : fresh) {
        m_local.set(id, text);
        ids.push_back(id);
    }
    return ids;
}

void EventPipe::mark_written() {
    const std::uint64_t popped = m_ring.popped();
    std::lock_guard lock{m_flush_mutex};
    m_written = popped;
    m_flush_cv.notify_all();
}

void EventPipe::mark_stopped() {
    std::lock_guard lock{m_flush_mutex};
    m_stopped = true;
    m_flush_cv.notify_all();
}

}  // namespace cogen::trace::detail

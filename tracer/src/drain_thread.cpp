// DrainThread: periodic background drain of a sink (see drain_thread.hpp).
#include "drain_thread.hpp"

namespace cogen::trace::detail {

DrainThread::DrainThread(std::chrono::milliseconds interval, std::function<void(bool)> drain)
    : m_interval(interval), m_drain(std::move(drain)), m_thread([this] { run(); }) {}

void DrainThread::wake() {
    {
        std::lock_guard lock{m_mutex};
        m_woken = true;
    }
    m_cv.notify_one();
}

void DrainThread::stop() {
    {
        std::lock_guard lock{m_mutex};
        if (m_stopping && !m_thread.joinable()) return;
        m_stopping = true;
    }
    m_cv.notify_one();
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id()) m_thread.join();
}

void DrainThread::run() {
    for (;;) {
        bool final = false;
        {
            std::unique_lock lock{m_mutex};
            m_cv.wait_for(lock, m_interval, [this] { return m_woken || m_stopping; });
            m_woken = false;
            final = m_stopping;
        }
        m_drain(final);
        if (final) return;
    }
}

}  // namespace cogen::trace::detail

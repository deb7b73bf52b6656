// HelperThread: a mutex, two condition variables and one job slot.
#include "cogen/viz/helper_thread.hpp"

#include <utility>

namespace cogen::viz {

HelperThread::HelperThread() : m_thread([this] { loop(); }) {}

HelperThread::~HelperThread() {
    {
        std::lock_guard lock{m_mutex};
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void HelperThread::start(std::function<void()> job) {
    {
        std::lock_guard lock{m_mutex};
        m_job = std::move(job);
        m_busy = true;
        m_error = nullptr;
    }
    m_wake.notify_one();
}

void HelperThread::wait() {
    std::unique_lock lock{m_mutex};
    m_done.wait(lock, [this] { return !m_busy; });
    if (m_error) std::rethrow_exception(std::exchange(m_error, nullptr));
}

void HelperThread::loop() {
    std::unique_lock lock{m_mutex};
    for (;;) {
        m_wake.wait(lock, [this] { return m_busy || m_stop; });
        if (!m_busy) return;  // stopped while idle
        std::function<void()> job = std::move(m_job);
        lock.unlock();
        std::exception_ptr error;
        try {
            job();
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        m_error = error;
        m_busy = false;
        m_done.notify_one();
    }
}

}  // namespace cogen::viz

// SharedLoop: a counter of iterations taken, a counter of iterations run, and a count of
// helpers inside, so that a loop's end never races with the next loop's start.
#include "cogen/viz/shared_loop.hpp"

#include <cstdint>
#include <stdexcept>
#include <thread>
#include <utility>

namespace cogen::viz {

void SharedLoop::begin(std::size_t n, void (*call)(void*, std::size_t), void* body) {
    if (n > UINT32_MAX) throw std::length_error("SharedLoop: more than 2^32 iterations");
    m_n.store(n, std::memory_order_relaxed);
    m_call = call;
    m_body = body;
    m_next.store(0, std::memory_order_relaxed);
    m_done.store(0, std::memory_order_relaxed);
    m_state.fetch_or(running);  // publishes the above (seq_cst: see help_now())
    m_state.notify_all();
}

void SharedLoop::work() {
    for (;;) {
        const std::size_t i = m_next.fetch_add(1, std::memory_order_acq_rel);
        const std::size_t n = m_n.load(std::memory_order_relaxed);
        if (i >= n) return;
        try {
            m_call(m_body, i);
        } catch (...) {
            std::lock_guard lock{m_error_mutex};
            if (!m_error) m_error = std::current_exception();
        }
        if (m_done.fetch_add(1, std::memory_order_acq_rel) + 1 == n) m_done.notify_all();
    }
}

void SharedLoop::finish() {
    const std::size_t n = m_n.load(std::memory_order_relaxed);
    for (std::uint32_t done = m_done.load(std::memory_order_acquire); done < n;
         done = m_done.load(std::memory_order_acquire)) {
        m_done.wait(done, std::memory_order_acquire);
    }
    // A helper that saw `running` may still be about to take an iteration (and find none):
    // the next loop must not reset the counters under it.
    m_state.fetch_and(~running);
    while (m_inside.load() != 0) std::this_thread::yield();
    std::exception_ptr error;
    {
        std::lock_guard lock{m_error_mutex};
        error = std::exchange(m_error, nullptr);
    }
    if (error) std::rethrow_exception(error);
}

void SharedLoop::help_now() {
    // seq_cst on both sides: either the owner's finish() sees this helper inside, or this
    // helper sees the loop no longer running.
    m_inside.fetch_add(1);
    if ((m_state.load() & running) != 0) work();
    m_inside.fetch_sub(1);
}

void SharedLoop::rest() {
    // The owner is running the last iterations. Sleep until they are done (the last one
    // wakes this thread), then until the loop is over (a short while). A loop always has
    // an iteration, so a later loop's end wakes it too.
    const std::uint32_t done = m_done.load(std::memory_order_acquire);
    if (done < m_n.load(std::memory_order_relaxed) &&
        (m_state.load(std::memory_order_acquire) & running) != 0) {
        m_done.wait(done, std::memory_order_acquire);
    } else {
        std::this_thread::yield();
    }
}

void SharedLoop::close() {
    m_state.fetch_or(closed);
    m_state.notify_all();
    m_done.notify_all();
}

void SharedLoop::open() {
    m_state.store(0);
}

}  // namespace cogen::viz

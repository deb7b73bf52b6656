// Capture: a thread-safe recording instrument for the in-process visualizer (capture.hpp).
#include "cogen/viz/capture.hpp"

#include <atomic>
#include <mutex>

namespace cogen::viz {

struct Capture::Impl {
    Instrument* forward = nullptr;
    std::mutex mutex;
    std::vector<std::pair<std::uint32_t, std::string>> strings;
    std::vector<TraceEvent> events;
    std::atomic<std::uint64_t> recorded{0};
};

Capture::Capture(Instrument* forward_to) : m_impl(std::make_unique<Impl>()) {
    m_impl->forward = forward_to;
}

Capture::~Capture() = default;

void Capture::forward_to(Instrument* forward_to) noexcept {
    m_impl->forward = forward_to;
}

void Capture::on_string(std::uint32_t id, std::string_view text) {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->strings.emplace_back(id, std::string(text));
    }
    if (m_impl->forward) m_impl->forward->on_string(id, text);
}

void Capture::on_event(const TraceEvent& event) {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->events.push_back(event);
    }
    m_impl->recorded.fetch_add(1, std::memory_order_relaxed);
    if (m_impl->forward) m_impl->forward->on_event(event);
}

void Capture::on_close() {
    if (m_impl->forward) m_impl->forward->on_close();
}

void Capture::drain(std::vector<std::pair<std::uint32_t, std::string>>& strings,
                    std::vector<TraceEvent>& events) {
    std::lock_guard lock(m_impl->mutex);
    if (strings.empty()) {
        strings.swap(m_impl->strings);
    } else {
        for (auto& s : m_impl->strings) strings.push_back(std::move(s));
        m_impl->strings.clear();
    }
    if (events.empty()) {
        events.swap(m_impl->events);
    } else {
        events.insert(events.end(), m_impl->events.begin(), m_impl->events.end());
        m_impl->events.clear();
    }
}

std::uint64_t Capture::recorded() const noexcept {
    return m_impl->recorded.load(std::memory_order_relaxed);
}

}  // namespace cogen::viz

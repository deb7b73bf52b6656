// FlushStage: a Flushable registered ahead of the sinks (flush_stage.hpp, crash_guard.hpp).
#include "cogen/trace/flush_stage.hpp"

#include <utility>

#include "crash_guard.hpp"

namespace cogen::trace {

struct FlushStage::Impl final : detail::Flushable {
    explicit Impl(std::function<void()> fn) : before_sinks(std::move(fn)) {}
    void flush_for(detail::FlushReason) override { before_sinks(); }
    std::function<void()> before_sinks;
};

FlushStage::FlushStage(std::function<void()> before_sinks)
    : m_impl(std::make_unique<Impl>(std::move(before_sinks))) {
    detail::register_flushable(m_impl.get(), detail::FlushOrder::before_sinks);
}

FlushStage::~FlushStage() {
    detail::unregister_flushable(m_impl.get());
}

}  // namespace cogen::trace

// FlushStage: work that must run before the trace sinks flush when a program ends abnormally
// (SIGINT, SIGTERM, std::terminate, exit() with the sinks alive) or SIGUSR1 asks them to: an
// instrument that holds events on their way to a sink moves them on first, so the sink
// writes them. The stall check (COGEN_STALLS) uses one for the records still in its ring
// when COGEN_TRACE writes a file too (docs/tracing.md, "Endings").
#pragma once
#include <functional>
#include <memory>

namespace cogen::trace {

/// `FlushStage stage{[this] { forward_pending(); }};` registered until destroyed; runs on
/// the tracer's signal thread (SIGINT, SIGTERM, SIGUSR1), or on the thread that calls
/// std::terminate or exit(), before any sink flushes. It may block (briefly).
class FlushStage {
  public:
    explicit FlushStage(std::function<void()> before_sinks);
    /// Unregisters; waits while a flush is running.
    ~FlushStage();
    FlushStage(const FlushStage&) = delete;
    FlushStage& operator=(const FlushStage&) = delete;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::trace

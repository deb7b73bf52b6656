// CrashGuard: makes traces complete when a program ends abnormally. Sinks register here; on
// SIGINT/SIGTERM (flush, then die of the signal as before), std::terminate, and exit() the
// registered sinks are flushed, and SIGUSR1 asks them to flush or dump. Private to the tracer.
#pragma once

namespace cogen::trace::detail {

enum class FlushReason {
    request,    ///< SIGUSR1: flush now (a flight recorder dumps its ring)
    exit,       ///< exit() / return from main with the sink still alive
    terminate,  ///< std::terminate (an uncaught exception)
    signal,     ///< SIGINT or SIGTERM: the process dies right after
};

/// Something that can write out what it holds, from a thread other than the scheduler's.
class Flushable {
  public:
    virtual ~Flushable() = default;
    virtual void flush_for(FlushReason reason) = 0;
};

/// Where a Flushable runs in flush_all(): the sinks in the order they registered, after
/// every stage that feeds them (cogen/trace/flush_stage.hpp).
enum class FlushOrder { sink, before_sinks };

/// Adds a sink; the first call installs the handlers (a signal handler only where the
/// signal's disposition is still the default, so a program's own handlers win).
void register_flushable(Flushable* sink, FlushOrder order = FlushOrder::sink);
/// Removes a sink; waits if a flush is running.
void unregister_flushable(Flushable* sink);
/// Runs every stage, then flushes every sink.
void flush_all(FlushReason reason);

}  // namespace cogen::trace::detail

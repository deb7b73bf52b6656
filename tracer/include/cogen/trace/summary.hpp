// TraceSummary: the numbers `cogen-trace summary` prints: coroutines and how they ended,
// operations by type, time spent in each state (runnable included), queue lengths, proactor
// polls, drops.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

struct TraceSummary {
    struct OpStats {
        std::uint64_t count = 0;      ///< op.process events
        std::uint64_t parked = 0;     ///< of which did not complete at once
        std::uint64_t timeouts = 0;   ///< op.timeout
        std::uint64_t cancelled = 0;  ///< op.cleanup with a = cancel
        std::uint64_t wait_ns = 0;    ///< process -> finalize/cleanup, summed
        std::uint64_t max_wait_ns = 0;
    };
    std::uint64_t events = 0;
    std::uint64_t dropped = 0;  ///< sum of trace.drop counts
    std::uint64_t duration_ns = 0;
    std::uint64_t coroutines = 0, finished = 0, failed = 0, killed = 0;
    std::map<std::string, OpStats> ops;  ///< by op type
    /// One queue or pubsub, by label, from the level its ops report (EventView::queue_level;
    /// traces from before that report none).
    struct QueueStats {
        std::uint64_t max_length = 0;
        std::uint64_t length = 0;   ///< after its last op
        std::uint64_t maxsize = 0;  ///< 0 = unbounded
        std::uint64_t ops = 0;      ///< op.process events that reported it
    };
    std::uint64_t queued_ns = 0;  ///< spawned, not yet started
    std::uint64_t runnable_ns =
        0;  ///< woken (or yielded), waiting in the active queue for its turn
    std::uint64_t max_runnable_ns = 0;  ///< the longest such wait of one coroutine
    std::uint64_t running_ns = 0;
    std::map<std::string, std::uint64_t> waiting_ns;  ///< by outcome ("wait:timer", ...)
    std::uint64_t polls = 0, empty_polls = 0, poll_ready = 0, poll_wait_ns = 0;
    std::map<std::string, QueueStats> queues;  ///< by label

    std::uint64_t alive() const { return coroutines - finished - failed - killed; }
};

/// `TraceSummary s = summarize(read_trace_file(path));` times are summed over coroutines.
TraceSummary summarize(const TraceData& data);

/// The report `cogen-trace summary` prints.
std::string format_summary(const TraceSummary& summary, const TraceHeader& header);

}  // namespace cogen::trace

// TraceSummary: the numbers `cogen-trace summary` prints: coroutines and how they ended,
// operations by type, time spent in each state (runnable included), queue lengths, proactor
// polls, drops.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

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

/// Builds a TraceSummary one event at a time, holding only the live coroutines and the open
/// ops (a streamed trace of any length):
///
///     SummaryBuilder b; for (auto& e : batch.events) b.add(e, batch.strings);
///     TraceSummary s = b.finish();
class SummaryBuilder {
  public:
    void add(const TraceEvent& event, const StringTable& strings);
    /// Counts the time of the coroutines still alive up to the last event; call once.
    TraceSummary finish();

  private:
    enum class Where { queued, runnable, running, waiting, ended };
    struct CoroState {
        Where where = Where::queued;
        std::uint64_t since = 0;
        std::string wait_outcome = "wait";  // until op.process says more
    };
    struct OpenOp {
        std::string type;
        std::uint64_t since = 0;
    };
    void leave(CoroState& c, std::uint64_t now);
    void close_op(std::uint64_t op, std::uint64_t now);

    TraceSummary m_summary;
    std::unordered_map<std::uint64_t, CoroState> m_coros;  // ended ones are forgotten
    std::unordered_map<std::uint64_t, OpenOp> m_open_ops;
    std::uint64_t m_first = 0, m_last = 0;
};

/// `TraceSummary s = summarize(read_trace_file(path));` times are summed over coroutines.
TraceSummary summarize(const TraceData& data);

/// The report `cogen-trace summary` prints.
std::string format_summary(const TraceSummary& summary, const TraceHeader& header);

}  // namespace cogen::trace

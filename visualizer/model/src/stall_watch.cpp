// StallWatch: a recording instrument in front of the scheduler's own, and the
// sanitizer-style report of its findings.
#include "cogen/viz/stall_watch.hpp"

#include <unistd.h>

#include <map>

#include "cogen/scheduler.hpp"
#include "cogen/scheduler_observer.hpp"
#include "cogen/viz/event_text.hpp"
#include "cogen/viz/stall_detector.hpp"

namespace cogen::viz {

StallWatch::StallWatch(Scheduler& sched, StallOptions options)
    : m_sched(&sched), m_options(options) {
    SchedulerObserver observer{sched};
    m_next = observer.instrument();
    observer.set_instrument(this);  // announces the strings so far and the live coroutines
}

StallWatch::StallWatch(Instrument* next, StallOptions options) : m_next(next), m_options(options) {}

StallWatch::~StallWatch() {
    if (m_sched == nullptr) return;
    SchedulerObserver observer{*m_sched};
    if (observer.instrument() == this) observer.exchange_instrument(m_next);
}

std::vector<Finding> StallWatch::findings() const {
    return find_stalls_at_end(m_model, m_options);
}

void StallWatch::on_string(std::uint32_t id, std::string_view text) {
    m_model.add_string(id, text);
    if (m_next) m_next->on_string(id, text);
}

void StallWatch::on_event(const TraceEvent& event) {
    m_model.add_event(event);
    if (m_next) m_next->on_event(event);
}

void StallWatch::on_close() {
    if (m_next) m_next->on_close();
}

std::string format_stall_report(const std::vector<Finding>& findings, std::string_view program,
                                std::string_view when) {
    if (findings.empty()) return {};
    const std::string tag = "==" + std::to_string(::getpid()) + "==COGEN_STALLS: ";
    std::string out = tag + std::to_string(findings.size()) + " stall finding" +
                      (findings.size() == 1 ? "" : "s") +
                      (program.empty() ? "" : " in '" + std::string(program) + "'") +
                      (when.empty() ? "" : " (" + std::string(when) + ")") + "\n";
    std::map<FindingKind, std::size_t> counts;
    std::size_t n = 0;
    for (const Finding& f : findings) {
        ++counts[f.kind];
        out += "  #" + std::to_string(++n) + " " + std::string(to_string(f.kind));
        if (f.coro != 0) {
            out += "  coro " + std::to_string(f.coro);
            if (!f.coro_name.empty()) out += " \"" + f.coro_name + "\"";
        }
        out += "  since seq " + std::to_string(f.since_seq) + ", lasting " +
               format_duration(static_cast<std::int64_t>(f.duration_ns)) + "\n";
        out += "     " + f.explanation + "\n";
    }
    out += "SUMMARY: COGEN_STALLS:";
    bool first = true;
    for (const auto& [kind, count] : counts) {
        out += (first ? " " : ", ") + std::to_string(count) + " " + std::string(to_string(kind));
        first = false;
    }
    return out + " (docs/stalls.md)\n";
}

}  // namespace cogen::viz

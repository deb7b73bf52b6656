// StallWatch: the stall detector on a running program, in the same process. An
// instrument that keeps the scheduler's events in a TraceModel (forwarding them to
// the instrument it replaced, so COGEN_TRACE keeps working) and evaluates the stall
// findings when asked. Behind the Catch2 helper (catch_stalls.hpp); COGEN_STALLS uses a
// StallStream (bounded memory, stall_stream.hpp). docs/stalls.md, "A stall check at exit".
#pragma once
#include <string>
#include <vector>

#include "cogen/instrument.hpp"
#include "cogen/viz/stall_finding.hpp"
#include "cogen/viz/trace_model.hpp"

namespace cogen {
class Scheduler;
}

namespace cogen::viz {

/// Records one scheduler's events for the stall detector.
///
///     cogen::Scheduler sched;
///     cogen::viz::StallWatch watch{sched};   // right after the scheduler
///     sched.add(...); sched.run();
///     for (const Finding& f : watch.findings()) std::puts(f.explanation.c_str());
///
/// Every event is kept in memory (about 100 bytes each, plus the model's
/// checkpoints): meant for tests and debugging runs, like a sanitizer. For a long run, a
/// StallStream gives the same findings in bounded memory.
class StallWatch final : public Instrument {
  public:
    /// Watches `sched` from now on: installs itself as its instrument and forwards to
    /// the one it replaces (which hears an "instrument attached" note). Create it before
    /// the first coroutine is added to see the whole story. The destructor gives the
    /// scheduler its previous instrument back; `sched` must outlive the watch.
    explicit StallWatch(Scheduler& sched, StallOptions options = {});
    /// Not attached: pass it as Scheduler::Options::instrument (it must then outlive the
    /// scheduler). Forwards every call to `next` when given (not owned).
    explicit StallWatch(Instrument* next = nullptr, StallOptions options = {});
    ~StallWatch() override;
    StallWatch(const StallWatch&) = delete;
    StallWatch& operator=(const StallWatch&) = delete;

    /// The findings as `cogen-trace stalls` reports them for the events so far
    /// (find_stalls_at_end: at the last run() return, with now = the latest event).
    std::vector<Finding> findings() const;
    const TraceModel& model() const noexcept { return m_model; }
    const StallOptions& options() const noexcept { return m_options; }

    void on_string(std::uint32_t id, std::string_view text) override;
    void on_event(const TraceEvent& event) override;
    void on_close() override;

  private:
    Scheduler* m_sched = nullptr;
    Instrument* m_next = nullptr;
    StallOptions m_options;
    TraceModel m_model;
};

/// A report of `findings` for people, like a sanitizer's (nothing when empty):
///
///     ==4242==COGEN_STALLS: 1 stall finding in 'backlog' (when the scheduler was destroyed)
///       #1 backlog  coro 2 "consumer"  since seq 21, lasting 629 ms
///          queue 'results' holds 570 items and has not been empty for 629 ms: ...
///     SUMMARY: COGEN_STALLS: 1 backlog
///
/// `program` names the program ("" = none), `when` says when the check ran.
std::string format_stall_report(const std::vector<Finding>& findings, std::string_view program,
                                std::string_view when);

}  // namespace cogen::viz

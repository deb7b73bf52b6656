// SchedulerAdapter: SchedulerDriver over cogen::Scheduler (see scheduler_driver.hpp).
#include "scheduler_driver.hpp"

#include "cogen/scheduler.hpp"
#include "cogen/scheduler_observer.hpp"

namespace cogen::viz {

struct SchedulerAdapter::ClockRun {
    explicit ClockRun(std::optional<PausableClock>& clock) : c(clock) {
        if (c) c->run();
    }
    ~ClockRun() {
        if (c) c->hold();
    }
    ClockRun(const ClockRun&) = delete;
    ClockRun& operator=(const ClockRun&) = delete;
    std::optional<PausableClock>& c;
};

SchedulerAdapter::SchedulerAdapter(Scheduler& sched) : m_sched(sched) {
    // A manual clock (tests, tutorials) already moves only when the program sleeps.
    if (SchedulerObserver{m_sched}.clock().manual()) return;
    m_clock.emplace(m_sched.now());
    m_previous_clock = SchedulerObserver{m_sched}.exchange_clock(&*m_clock);
}

SchedulerAdapter::~SchedulerAdapter() {
    if (m_clock) SchedulerObserver{m_sched}.exchange_clock(m_previous_clock);
}

bool SchedulerAdapter::step() {
    const ClockRun run(m_clock);
    return m_sched.step();
}

bool SchedulerAdapter::at_pick() const {
    return SchedulerObserver{m_sched}.at_pick();
}

std::vector<ReadyChoice> SchedulerAdapter::ready_pairs(std::size_t max, std::size_t& total) const {
    const std::vector<ReadyPair> pairs = SchedulerObserver{m_sched}.ready_pairs();
    total = pairs.size();
    std::vector<ReadyChoice> out;
    out.reserve(std::min(max, pairs.size()));
    for (std::size_t i = 0; i < pairs.size() && i < max; ++i) {
        const ReadyPair& p = pairs[i];
        ReadyChoice c;
        if (p.coro) {
            c.coro = p.coro->id();
            c.coro_name = p.coro->name();
        }
        if (p.op) {
            c.op = p.op->id();
            c.op_name = std::string(p.op->name());
        }
        c.urgent = p.urgent;
        out.push_back(std::move(c));
    }
    return out;
}

std::string SchedulerAdapter::awaited_op_name(std::uint64_t coro) const {
    for (const Coroutine* c : SchedulerObserver{m_sched}.coroutines()) {
        if (c->id() != coro) continue;
        const Operation* op = c->current_op();
        return op ? std::string(op->name()) : std::string();
    }
    return {};
}

bool SchedulerAdapter::step_pick(std::size_t index) {
    const ClockRun run(m_clock);
    return SchedulerObserver{m_sched}.step_pick(index);
}

void SchedulerAdapter::interrupt() {
    m_sched.stop();
}

void SchedulerAdapter::run_began() {
    SchedulerObserver{m_sched}.begin_run();
}

void SchedulerAdapter::run_ended() {
    SchedulerObserver{m_sched}.end_run();
}

}  // namespace cogen::viz

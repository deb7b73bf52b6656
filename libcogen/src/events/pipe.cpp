// Pipe: strict hand-off between a consumer and its producer.
#include "cogen/events/pipe.hpp"

#include <stdexcept>

#include "cogen/errors.hpp"

namespace cogen {

Operation* detail::PipeState::on_end(Coroutine& p) {
    ended = true;
    Operation* op = std::exchange(consumer_op, nullptr);
    if (!op) return nullptr;
    static_cast<Iterator::Next*>(op)->deliver_end(stopped ? nullptr : p.exception());
    return op;
}

// 1. Register the producer (not queued: the first `co_await it` starts it).
Disposition Iterate::process(SchedulerCore& sched, Coroutine& coro) {
    m_state = std::make_shared<detail::PipeState>();
    m_record = sched.spawn_parked(std::move(m_producer), m_options, coro.id());
    detail::PipeState::attach(*m_record, m_state);
    return Disposition::complete;
}

Iterator Iterate::finalize(SchedulerCore&) {
    return Iterator{m_state, m_record};
}

// 1. Resume the producer now; we wait for its next chunk (or its end).
Disposition Iterator::Next::process(SchedulerCore& sched, Coroutine& coro) {
    detail::PipeState& s = *m_state;
    if (s.ended || s.stopped || !s.producer || !s.producer->alive()) return Disposition::complete;
    s.consumer_op = this;
    sched.run_now(*s.producer, s.producer_op, Outcome::pipe, coro.id());
    return Disposition::parked;
}

// 1. Mark stopped; throw IterationStopped into a waiting producer.
Disposition Iterator::Stop::process(SchedulerCore& sched, Coroutine&) {
    detail::PipeState& s = *m_state;
    if (s.stopped || s.ended) return Disposition::complete;
    s.stopped = true;
    if (s.producer && s.producer->alive()) {
        if (s.producer_op) {
            sched.schedule_error(*s.producer_op, std::make_exception_ptr(IterationStopped{}),
                                 Placement::front);
        } else {
            sched.cancel(*s.producer);  // never started: nothing to unwind
        }
    }
    return Disposition::complete;
}

// 1. Hand the value to the waiting consumer, which runs now.
Disposition Chunk::process(SchedulerCore& sched, Coroutine& coro) {
    detail::PipeState* s = detail::PipeState::of(coro);
    if (!s) {
        fail(std::logic_error("chunk(): the coroutine is not a pipe producer (use Iterate)"));
        return Disposition::complete;
    }
    s->producer_op = this;
    if (!m_value) s->ended = true;
    if (Operation* op = std::exchange(s->consumer_op, nullptr)) {
        static_cast<Iterator::Next*>(op)->deliver(std::move(m_value));
        sched.run_now(*op, Outcome::pipe, coro.id());
    }
    return Disposition::parked;
}

}  // namespace cogen

// Queue<T>: a FIFO between coroutines, with blocking and nowait put/get,
// maxsize, and task_done()/join(). cogen's queue.Queue. Tutorial 09.
#pragma once
#include <atomic>
#include <cstddef>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>

#include "cogen/errors.hpp"
#include "cogen/scheduler_core.hpp"
#include "cogen/timed_operation.hpp"
#include "cogen/trace_event_view.hpp"  // trace_target

namespace cogen {

namespace detail {
std::uint64_t next_queue_id() noexcept;
}

/// A FIFO queue between coroutines.
///
///     cogen::Queue<int> q{10};                 // maxsize 10 (0 = unbounded)
///     co_await q.put(1);                        // waits while full
///     int v = co_await q.get(1s);               // waits while empty; OperationTimeout
///     int w = co_await q.get_nowait();          // throws cogen::Empty at once
///     co_await q.task_done();  co_await q.join();
///
/// A put that meets a waiting getter hands the item over directly. Who runs
/// first follows cogen's priority rules (docs/priorities.md). Every op
/// awaited on the queue must end before the queue is destroyed.
template <class T>
class Queue {
  public:
    explicit Queue(std::size_t maxsize = 0, std::string name = {})
        : m_maxsize(maxsize),
          m_name(name.empty() ? "queue-" + std::to_string(detail::next_queue_id()) : name) {}
    Queue(const Queue&) = delete;
    Queue& operator=(const Queue&) = delete;
    /// Coroutines still waiting on the queue stay suspended (a stall the
    /// trace shows); their ops forget the queue so teardown stays safe.
    ~Queue() {
        for (Put* p : m_putters) p->m_q = nullptr;
        for (Get* g : m_getters) g->m_q = nullptr;
        for (JoinOp* j : m_joiners) j->m_q = nullptr;
    }

    class Put;
    class Get;
    class Done;
    class JoinOp;

    /// co_await: store `item`, waiting while the queue is full.
    Put put(T item, Timeout timeout = {}, Priority prio = Priority::DEFAULT) {
        return Put{*this, std::move(item), true, timeout, prio};
    }
    /// co_await: store `item` or throw Full.
    Put put_nowait(T item) { return Put{*this, std::move(item), false, {}, Priority::DEFAULT}; }
    /// co_await: the front item, waiting while the queue is empty.
    Get get(Timeout timeout = {}, Priority prio = Priority::DEFAULT) {
        return Get{*this, true, timeout, prio};
    }
    /// co_await: the front item or throw Empty.
    Get get_nowait() { return Get{*this, false, {}, Priority::DEFAULT}; }
    /// One item is processed. Throws std::logic_error at the call when called
    /// more times than items were put. Awaiting it wakes join() waiters when
    /// the count reaches 0, else it is a cooperative yield.
    Done task_done(Priority prio = Priority::DEFAULT) {
        if (m_unfinished == 0) throw std::logic_error("task_done() called too many times");
        --m_unfinished;
        return Done{*this, m_unfinished == 0, prio};
    }
    /// co_await: wait until every item put has been marked task_done().
    JoinOp join(Timeout timeout = {}) { return JoinOp{*this, timeout}; }

    std::size_t qsize() const noexcept { return m_items.size(); }
    bool empty() const noexcept { return m_items.empty(); }
    bool full() const noexcept { return m_maxsize > 0 && m_items.size() >= m_maxsize; }
    std::size_t maxsize() const noexcept { return m_maxsize; }
    std::size_t unfinished_tasks() const noexcept { return m_unfinished; }
    const std::string& name() const noexcept { return m_name; }

    /// QPut: store an item (or hand it to a waiting getter).
    class [[nodiscard]] Put final : public TimedOperation<void> {
      public:
        // Operation protocol, in call order ---------------------------------
        Disposition process(SchedulerCore& sched, Coroutine& coro) override {  // 1.
            Queue& q = *m_q;
            if (q.full()) {
                if (!m_block) {
                    fail(Full{});
                    return Disposition::complete;
                }
                ++q.m_unfinished;
                m_counted = true;
                TimedOperation::process(sched, coro);
                q.m_putters.push_back(this);
                return Disposition::parked;
            }
            ++q.m_unfinished;
            if (!q.m_getters.empty()) {  // direct hand-off to a waiting getter
                Get* g = q.m_getters.front();
                q.m_getters.pop_front();
                g->m_item.emplace(std::move(m_item));
                if (priority() != Priority::LAST) {
                    sched.run_now(*g, Outcome::queue, coro.id());
                    return sched.requeue(
                        *this, has_coro_bit(priority()) ? Placement::front : Placement::back);
                }
                sched.schedule(*g,
                               g->priority() != Priority::LAST ? Placement::front : Placement::back,
                               Outcome::queue, coro.id());
                return Disposition::complete;
            }
            q.m_items.push_back(std::move(m_item));
            return Disposition::complete;
        }
        // 2. run(): not an I/O operation; 3. finalize(): nothing to return
        void cleanup(SchedulerCore&, Coroutine&) override {  // 4. leave the putters
            if (!m_q) return;
            std::erase(m_q->m_putters, this);
            if (m_counted) --m_q->m_unfinished;  // cogen leaked it (Q21)
        }

        std::string_view name() const override { return "QPut"; }
        Outcome waits_on() const noexcept override { return Outcome::queue; }
        std::string wait_label() const override { return m_q ? m_q->m_name : std::string{}; }
        std::uint64_t wait_target() const noexcept override {  // traces: room left, n of max
            return m_q ? trace_target::queue_level(m_q->qsize(), m_q->m_maxsize, QueueSide::put)
                       : 0;
        }

      private:
        friend class Queue;
        Put(Queue& q, T item, bool block, Timeout timeout, Priority prio)
            : TimedOperation<void>(timeout, prio),
              m_q(&q),
              m_item(std::move(item)),
              m_block(block) {}
        Queue* m_q;
        T m_item;
        bool m_block;
        bool m_counted = false;
    };

    /// QGet: take the front item (or wait for one).
    class [[nodiscard]] Get final : public TimedOperation<T> {
      public:
        // Operation protocol, in call order ---------------------------------
        Disposition process(SchedulerCore& sched, Coroutine& coro) override {  // 1.
            Queue& q = *m_q;
            if (q.m_items.empty()) {
                if (!m_block) {
                    this->fail(Empty{});
                    return Disposition::complete;
                }
                TimedOperation<T>::process(sched, coro);
                q.m_getters.push_back(this);
                return Disposition::parked;
            }
            m_item.emplace(std::move(q.m_items.front()));
            q.m_items.pop_front();
            if (!q.m_putters.empty() && !q.full()) {  // a slot freed: release one putter
                Put* p = q.m_putters.front();
                q.m_putters.pop_front();
                q.m_items.push_back(std::move(p->m_item));
                p->m_counted = false;
                const Placement where =
                    has_op_bit(p->priority()) ? Placement::front : Placement::back;
                if (has_coro_bit(p->priority())) {
                    sched.run_now(*p, Outcome::queue, coro.id());
                    return sched.requeue(*this, where);
                }
                sched.schedule(*p, where, Outcome::queue, coro.id());
            }
            return Disposition::complete;
        }
        // 2. run(): not an I/O operation
        T finalize(SchedulerCore&) override { return std::move(*m_item); }  // 3. the item
        void cleanup(SchedulerCore&, Coroutine&) override {                 // 4. leave the getters
            if (m_q) std::erase(m_q->m_getters, this);
        }

        std::string_view name() const override { return "QGet"; }
        Outcome waits_on() const noexcept override { return Outcome::queue; }
        std::string wait_label() const override { return m_q ? m_q->m_name : std::string{}; }
        std::uint64_t wait_target() const noexcept override {  // traces: items left
            return m_q ? trace_target::queue_level(m_q->qsize(), m_q->m_maxsize, QueueSide::get)
                       : 0;
        }

      private:
        friend class Queue;
        Get(Queue& q, bool block, Timeout timeout, Priority prio)
            : TimedOperation<T>(timeout, prio), m_q(&q), m_block(block) {}
        Queue* m_q;
        std::optional<T> m_item;
        bool m_block;
    };

    /// QDone: the awaitable task_done() returns.
    class [[nodiscard]] Done final : public OperationOf<void> {
      public:
        Disposition process(SchedulerCore& sched, Coroutine& coro) override {  // 1.
            if (!m_reached_zero) {  // a cooperative yield, as in cogen
                if (sched.active_size() == 0) return Disposition::complete;
                return sched.requeue(*this, Placement::back);
            }
            std::deque<JoinOp*> joiners;
            joiners.swap(m_q->m_joiners);  // woken waiters are removed (Q21)
            const Placement where = has_op_bit(priority()) ? Placement::front : Placement::back;
            for (JoinOp* j : joiners) sched.schedule(*j, where, Outcome::queue, coro.id());
            return Disposition::complete;
        }
        std::string_view name() const override { return "QDone"; }

      private:
        friend class Queue;
        Done(Queue& q, bool reached_zero, Priority prio)
            : OperationOf<void>(prio), m_q(&q), m_reached_zero(reached_zero) {}
        Queue* m_q;
        bool m_reached_zero;
    };

    /// QJoin: wait until every item is done.
    class [[nodiscard]] JoinOp final : public TimedOperation<void> {
      public:
        Disposition process(SchedulerCore& sched, Coroutine& coro) override {  // 1.
            if (m_q->m_unfinished == 0) return Disposition::complete;
            TimedOperation::process(sched, coro);
            m_q->m_joiners.push_back(this);
            return Disposition::parked;
        }
        void cleanup(SchedulerCore&, Coroutine&) override {  // 4.
            if (m_q) std::erase(m_q->m_joiners, this);
        }
        std::string_view name() const override { return "QJoin"; }
        Outcome waits_on() const noexcept override { return Outcome::queue; }
        std::string wait_label() const override { return m_q ? m_q->m_name : std::string{}; }

      private:
        friend class Queue;
        JoinOp(Queue& q, Timeout timeout) : TimedOperation<void>(timeout), m_q(&q) {}
        Queue* m_q;
    };

  private:
    std::deque<T> m_items;
    std::deque<Put*> m_putters;
    std::deque<Get*> m_getters;
    std::deque<JoinOp*> m_joiners;
    std::size_t m_maxsize;
    std::size_t m_unfinished = 0;
    std::string m_name;
};

}  // namespace cogen

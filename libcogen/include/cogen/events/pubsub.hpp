// PubSub<T>: publish/subscribe — an append-only message list, each subscriber
// with its own read position. cogen's PublishSubscribeQueue. Tutorial 09.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "cogen/scheduler_core.hpp"
#include "cogen/timed_operation.hpp"
#include "cogen/trace_event_view.hpp"  // trace_target

namespace cogen {

/// Publish/subscribe between coroutines. The subscriber is the coroutine
/// that awaits subscribe(); a new subscriber sees every stored message.
///
///     cogen::PubSub<std::string> news;
///     co_await news.subscribe();
///     co_await news.publish("hello");
///     std::vector<std::string> msgs = co_await news.fetch(1s);   // a copy
///
/// fetch() before subscribe() throws std::logic_error at the co_await.
template <class T>
class PubSub {
  public:
    explicit PubSub(std::string name = "pubsub") : m_name(std::move(name)) {}
    PubSub(const PubSub&) = delete;
    PubSub& operator=(const PubSub&) = delete;
    /// Fetchers still waiting stay suspended; their ops forget this object.
    ~PubSub() {
        for (Fetch* f : m_fetchers) f->m_ps = nullptr;
    }

    class Subscribe;
    class Unsubscribe;
    class Publish;
    class Fetch;

    Subscribe subscribe() { return Subscribe{*this}; }
    Unsubscribe unsubscribe() { return Unsubscribe{*this}; }
    Publish publish(T message, Priority prio = Priority::DEFAULT) {
        return Publish{*this, std::move(message), prio};
    }
    Fetch fetch(Timeout timeout = {}, Priority prio = Priority::DEFAULT) {
        return Fetch{*this, timeout, prio};
    }

    /// Drop the messages every subscriber has read (all of them when nobody
    /// subscribes); returns how many. Read positions are rebased (Q22).
    std::size_t compact() {
        std::size_t drop = m_messages.size();
        for (const auto& [key, level] : m_levels) drop = std::min(drop, level);
        m_messages.erase(m_messages.begin(),
                         m_messages.begin() + static_cast<std::ptrdiff_t>(drop));
        for (auto& [key, level] : m_levels) level -= drop;
        return drop;
    }
    std::size_t size() const noexcept { return m_messages.size(); }
    std::size_t subscribers() const noexcept { return m_levels.size(); }
    /// Messages its slowest subscriber has not read yet (0 when nobody subscribes).
    std::size_t unread() const noexcept {
        std::size_t out = 0;
        for (const auto& [key, level] : m_levels) out = std::max(out, m_messages.size() - level);
        return out;
    }

    class [[nodiscard]] Subscribe final : public OperationOf<void> {
      public:
        Disposition process(SchedulerCore&, Coroutine& coro) override {  // 1. level 0, now
            m_ps->m_levels.emplace(coro.id(), 0);
            return Disposition::complete;
        }
        std::string_view name() const override { return "PSSubscribe"; }

      private:
        friend class PubSub;
        explicit Subscribe(PubSub& ps) : m_ps(&ps) {}
        PubSub* m_ps;
    };

    class [[nodiscard]] Unsubscribe final : public OperationOf<void> {
      public:
        Disposition process(SchedulerCore&, Coroutine& coro) override {  // 1. now
            if (m_ps->m_levels.erase(coro.id()) == 0)
                fail(std::logic_error("PubSub::unsubscribe(): not subscribed"));
            return Disposition::complete;
        }
        std::string_view name() const override { return "PSUnsubscribe"; }

      private:
        friend class PubSub;
        explicit Unsubscribe(PubSub& ps) : m_ps(&ps) {}
        PubSub* m_ps;
    };

    class [[nodiscard]] Publish final : public OperationOf<void> {
      public:
        Disposition process(SchedulerCore& sched, Coroutine& coro) override {  // 1.
            PubSub& ps = *m_ps;
            ps.m_messages.push_back(m_message);
            std::vector<Fetch*> fetchers;
            fetchers.swap(ps.m_fetchers);
            for (Fetch* f : fetchers) {
                f->m_result.assign(1, m_message);
                ++ps.m_levels[f->coroutine()->id()];
                sched.schedule(*f,
                               f->priority() != Priority::LAST ? Placement::front : Placement::back,
                               Outcome::pubsub, coro.id());
            }
            if (has_coro_bit(priority())) return Disposition::complete;
            return sched.requeue(*this,
                                 has_op_bit(priority()) ? Placement::front : Placement::back);
        }
        std::string_view name() const override { return "PSPut"; }
        std::string wait_label() const override { return m_ps->m_name; }  // traces: who publishes
        std::uint64_t wait_target() const noexcept override {
            return trace_target::queue_level(m_ps->unread(), 0, QueueSide::put);
        }

      private:
        friend class PubSub;
        Publish(PubSub& ps, T message, Priority prio)
            : OperationOf<void>(prio), m_ps(&ps), m_message(std::move(message)) {}
        PubSub* m_ps;
        T m_message;
    };

    class [[nodiscard]] Fetch final : public TimedOperation<std::vector<T>> {
      public:
        Disposition process(SchedulerCore& sched, Coroutine& coro) override {  // 1.
            PubSub& ps = *m_ps;
            auto it = ps.m_levels.find(coro.id());
            if (it == ps.m_levels.end()) {
                this->fail(std::logic_error("PubSub::fetch(): subscribe() first"));
                return Disposition::complete;
            }
            if (it->second < ps.m_messages.size()) {
                m_result.assign(ps.m_messages.begin() + static_cast<std::ptrdiff_t>(it->second),
                                ps.m_messages.end());
                it->second = ps.m_messages.size();
                return Disposition::complete;
            }
            TimedOperation<std::vector<T>>::process(sched, coro);
            ps.m_fetchers.push_back(this);
            return Disposition::parked;
        }
        std::vector<T> finalize(SchedulerCore&) override { return std::move(m_result); }  // 3.
        void cleanup(SchedulerCore&, Coroutine&) override {                               // 4.
            if (m_ps) std::erase(m_ps->m_fetchers, this);
        }
        std::string_view name() const override { return "PSGet"; }
        Outcome waits_on() const noexcept override { return Outcome::pubsub; }
        std::string wait_label() const override { return m_ps ? m_ps->m_name : std::string{}; }
        std::uint64_t wait_target() const noexcept override {
            return m_ps ? trace_target::queue_level(m_ps->unread(), 0, QueueSide::get) : 0;
        }

      private:
        friend class PubSub;
        Fetch(PubSub& ps, Timeout timeout, Priority prio)
            : TimedOperation<std::vector<T>>(timeout, prio), m_ps(&ps) {}
        PubSub* m_ps;
        std::vector<T> m_result;
    };

  private:
    std::vector<T> m_messages;
    std::unordered_map<std::uint64_t, std::size_t> m_levels;  // coroutine id -> read position
    std::vector<Fetch*> m_fetchers;
    std::string m_name;
};

}  // namespace cogen

// Pipe: a producer coroutine hands values one by one to a consumer, strictly
// alternating (cogen's pipe.Iterate / chunk). Tutorial 09.
#pragma once
#include <exception>
#include <memory>
#include <optional>

#include "cogen/coro.hpp"
#include "cogen/operation.hpp"
#include "cogen/scheduler_core.hpp"
#include "cogen/value.hpp"

namespace cogen {

namespace detail {
/// What a consumer and its producer share. It is the producer's end hook:
/// the producer's end hands the CPU straight back to a waiting consumer.
class PipeState final : public EndHook {
  public:
    Coroutine* producer = nullptr;
    Operation* producer_op = nullptr;  // the Chunk the producer waits on
    Operation* consumer_op = nullptr;  // the Next the consumer waits on
    bool ended = false;                // the consumer has seen (or will see) the end
    bool stopped = false;              // the consumer called stop()

    static void attach(Coroutine& producer, const std::shared_ptr<PipeState>& state) {
        producer.set_end_hook(state);
        state->producer = &producer;
    }
    /// The pipe `coro` produces for, else nullptr.
    static PipeState* of(const Coroutine& coro) noexcept {
        return dynamic_cast<PipeState*>(coro.end_hook());
    }
    /// The producer returned or threw: returns the consumer's Next op to
    /// resume now (it then yields nullopt, or the producer's exception unless
    /// the consumer stopped the pipe), if the consumer is waiting.
    Operation* on_end(Coroutine& producer) override;
};
}  // namespace detail

class Iterator;

/// Start `producer` as the source of a pipe; co_await yields the Iterator.
///
///     auto it = co_await cogen::Iterate{numbers()};
///     while (auto v = co_await it) use(*v);     // nullopt at the end
///
/// The producer awaits chunk(value) for each value. Each chunk resumes the
/// consumer directly, and each `co_await it` resumes the producer directly.
class [[nodiscard]] Iterate final : public OperationOf<Iterator> {
  public:
    [[nodiscard]] explicit Iterate(Coro<void> producer, AddOptions options = {})
        : m_producer(std::move(producer)), m_name(options.name), m_options(options) {
        m_options.name = m_name;
    }

    Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. spawn, now
    Iterator finalize(SchedulerCore& sched) override;                     // 3. the iterator
    std::string_view name() const override { return "Iterate"; }

  private:
    Coro<void> m_producer;
    std::string m_name;
    AddOptions m_options;
    std::shared_ptr<detail::PipeState> m_state;
    std::shared_ptr<Coroutine> m_record;
};

/// The consumer's side of a pipe. `co_await it` yields the next value
/// (std::optional<Value>, nullopt at the end); `co_await it.stop()` aborts.
class Iterator {
  public:
    class [[nodiscard]] Next final : public OperationOf<std::optional<Value>> {
      public:
        explicit Next(std::shared_ptr<detail::PipeState> state) : m_state(std::move(state)) {}
        Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. hand over
        std::optional<Value> finalize(SchedulerCore&) override { return std::move(m_value); }  // 3.
        std::string_view name() const override { return "PipeNext"; }
        Outcome waits_on() const noexcept override { return Outcome::pipe; }
        void deliver(std::optional<Value> value) { m_value = std::move(value); }
        /// The producer ended: yield nullopt, or throw `error` if there is one.
        void deliver_end(std::exception_ptr error) {
            m_value.reset();
            if (error) fail(std::move(error));
        }

      private:
        std::shared_ptr<detail::PipeState> m_state;
        std::optional<Value> m_value;
    };

    /// Abort: the next `co_await it` yields nullopt; the producer gets
    /// IterationStopped thrown at its chunk() (front of the queue).
    class [[nodiscard]] Stop final : public OperationOf<void> {
      public:
        explicit Stop(std::shared_ptr<detail::PipeState> state) : m_state(std::move(state)) {}
        Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. now
        std::string_view name() const override { return "PipeStop"; }

      private:
        std::shared_ptr<detail::PipeState> m_state;
    };

    Iterator() = default;
    Iterator(std::shared_ptr<detail::PipeState> state, std::shared_ptr<Coroutine> producer)
        : m_state(std::move(state)), m_producer(std::move(producer)) {}

    Next operator co_await() const { return Next{m_state}; }
    Stop stop() const { return Stop{m_state}; }
    /// The producer's record (its id and state, for views).
    const Coroutine& producer() const noexcept { return *m_producer; }

  private:
    std::shared_ptr<detail::PipeState> m_state;
    std::shared_ptr<Coroutine> m_producer;
};

/// The producer's side: hand `value` to the consumer and wait for the next
/// `co_await it`. chunk(Value{}) delivers none; chunk(std::nullopt) ends the
/// iteration (the producer is then abandoned, as in cogen).
class [[nodiscard]] Chunk final : public OperationOf<void> {
  public:
    [[nodiscard]] explicit Chunk(std::optional<Value> value) : m_value(std::move(value)) {}
    Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. hand over
    std::string_view name() const override { return "Chunk"; }
    Outcome waits_on() const noexcept override { return Outcome::pipe; }

  private:
    std::optional<Value> m_value;
};

inline Chunk chunk(std::optional<Value> value) {
    return Chunk{std::move(value)};
}

}  // namespace cogen

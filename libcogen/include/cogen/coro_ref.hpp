// CoroRef<T>: a copyable handle to a coroutine added to a scheduler. It
// reports state and result, and can cancel. Tutorial 05.
#pragma once
#include <memory>
#include <stdexcept>

#include "cogen/coro.hpp"
#include "cogen/errors.hpp"

namespace cogen {

namespace detail {
/// Cancels `coro` on its scheduler (Scheduler::cancel).
void cancel_coroutine(Coroutine& coro);
}  // namespace detail

/// A handle to a coroutine on a Scheduler.
///
///     cogen::CoroRef<int> ref = sched.add(answer());
///     sched.run();
///     int v = ref.result();   // 42, or rethrows what answer() threw
///
/// Non-owning as far as the coroutine's run is concerned: dropping every
/// CoroRef does not stop it. It stays valid after the coroutine ends (and
/// after the scheduler is gone), reporting the final state and result.
template <class T = void>
class CoroRef {
  public:
    CoroRef() = default;
    explicit CoroRef(std::shared_ptr<CoroutineOf<T>> record) : m_record(std::move(record)) {}

    explicit operator bool() const noexcept { return static_cast<bool>(m_record); }
    std::uint64_t id() const noexcept { return m_record->id(); }
    const std::string& name() const noexcept { return m_record->name(); }
    CoroState state() const noexcept { return m_record->state(); }
    bool alive() const noexcept { return m_record->alive(); }
    /// The scheduler's record (what operations and instruments see).
    Coroutine& coroutine() const noexcept { return *m_record; }

    /// The result of a finished coroutine. Rethrows the exception of a failed
    /// one, throws Cancelled for a killed one and std::logic_error while it
    /// is still running.
    decltype(auto) result() const {
        check_finished();
        if constexpr (!std::is_void_v<T>) return m_record->result();
    }

    /// Cancel it: its pending operation is cleaned up (as on a timeout) and
    /// Cancelled is thrown at its co_await; a coroutine not started yet is
    /// just dropped. Joiners then receive Cancelled. No effect once it ended.
    void cancel() const { detail::cancel_coroutine(*m_record); }

    /// The record, for Join and the scheduler.
    const std::shared_ptr<CoroutineOf<T>>& record() const noexcept { return m_record; }

    bool operator==(const CoroRef& other) const noexcept { return m_record == other.m_record; }

  private:
    void check_finished() const {
        switch (m_record->state()) {
            case CoroState::finished:
                return;
            case CoroState::failed:
            case CoroState::killed:
                if (m_record->exception()) std::rethrow_exception(m_record->exception());
                throw Cancelled{};
            default:
                throw std::logic_error("CoroRef::result(): coroutine '" + m_record->name() +
                                       "' has not finished");
        }
    }
    std::shared_ptr<CoroutineOf<T>> m_record;
};

}  // namespace cogen

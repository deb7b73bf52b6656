// AddCoro: start another coroutine from inside one. Tutorial 05.
#pragma once
#include <string>

#include "cogen/coro.hpp"
#include "cogen/coro_ref.hpp"
#include "cogen/operation.hpp"
#include "cogen/scheduler_core.hpp"

namespace cogen {

/// Add a coroutine to the scheduler; co_await yields its CoroRef<T>.
///
///     CoroRef<int> child = co_await AddCoro{worker(3), {.name = "worker-3"}};
///
/// Order (cogen's): the new coroutine goes to the back of the active queue
/// under the OP bit, else the front; the adder continues now under the CORO
/// bit, else goes to the back. Always yields the handle (cogen only did with
/// the CORO bit, Q2).
template <class T>
class [[nodiscard]] AddCoro final : public OperationOf<CoroRef<T>> {
  public:
    [[nodiscard]] explicit AddCoro(Coro<T> coro, AddOptions options = {})
        : OperationOf<CoroRef<T>>(options.priority),
          m_coro(std::move(coro)),
          m_name(options.name),
          m_options(options) {
        m_options.name = m_name;  // the view now points at our own copy
    }

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine& coro) override {  // 1. add, pick who runs
        const Priority prio = this->priority();
        m_ref = sched.add_from(std::move(m_coro), m_options,
                               has_op_bit(prio) ? Placement::back : Placement::front, coro.id());
        if (has_coro_bit(prio)) return Disposition::complete;
        return sched.requeue(*this, Placement::back);
    }
    // 2. run(): not an I/O operation
    CoroRef<T> finalize(SchedulerCore&) override { return m_ref; }  // 3. the new handle
    // 4. cleanup(): nothing to undo

    std::string_view name() const override { return "AddCoro"; }

  private:
    Coro<T> m_coro;
    std::string m_name;
    AddOptions m_options;
    CoroRef<T> m_ref;
};

}  // namespace cogen

// Callback timers: Scheduler::call_later / call_at run a function on the
// scheduler's thread at a deadline, without a coroutine. The function is
// stored in a 64-byte slot of the scheduler's slab (small callables in place,
// larger ones boxed on the heap) and its deadline is one 32-byte node of the
// timer heap, beside the coroutines' timeouts and Sleeps. The semantics
// (where in the loop it runs, ties, exceptions): docs/design.md, "Callback
// timers"; the API: Scheduler::call_later.
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace cogen {

class Scheduler;

namespace detail {

struct CallbackSlot;

/// What a slot's callable is: how to run it and how to destroy it.
struct CallbackOps {
    void (*run)(CallbackSlot& slot);
    void (*destroy)(CallbackSlot& slot) noexcept;
};

/// One callback timer: 64 bytes, one cache line. Slots live in chunks that never
/// move, so a running callable stays where it is while it arms more timers.
struct CallbackSlot {
    static constexpr std::size_t inline_size = 40;          ///< callables up to this size
    static constexpr std::uint32_t no_timer = 0xffffffffu;  ///< timer_index: not armed

    const CallbackOps* ops = nullptr;      ///< the stored callable; nullptr: slot free
    std::uint64_t id = 0;                  ///< this arming's id (traces' op id; handles check it)
    std::uint32_t timer_index = no_timer;  ///< its node's position in the timer heap
    std::uint32_t self = 0;                ///< its own index in the slab
    alignas(8) unsigned char storage[inline_size];
};
static_assert(sizeof(CallbackSlot) == 64, "a callback slot is one cache line");

/// A callable stored in the slot itself.
template <class F>
struct InlineCallback {
    static F& get(CallbackSlot& s) noexcept {
        return *std::launder(reinterpret_cast<F*>(s.storage));
    }
    static void run(CallbackSlot& s) { get(s)(); }
    static void destroy(CallbackSlot& s) noexcept { get(s).~F(); }
    static constexpr CallbackOps ops{&run, &destroy};
};

/// A callable too large (or too aligned) for the slot: boxed, the slot holds the pointer.
template <class F>
struct BoxedCallback {
    static F*& get(CallbackSlot& s) noexcept {
        return *std::launder(reinterpret_cast<F**>(s.storage));
    }
    static void run(CallbackSlot& s) { (*get(s))(); }
    static void destroy(CallbackSlot& s) noexcept { delete get(s); }
    static constexpr CallbackOps ops{&run, &destroy};
};

/// Constructs `fn` in `slot` (in place when it fits). Throws what F's constructor or
/// the box's allocation throws; the slot is then left empty.
template <class F>
void emplace_callback(CallbackSlot& slot, F&& fn) {
    using D = std::decay_t<F>;
    if constexpr (sizeof(D) <= CallbackSlot::inline_size && alignof(D) <= 8) {
        ::new (static_cast<void*>(slot.storage)) D(std::forward<F>(fn));
        slot.ops = &InlineCallback<D>::ops;
    } else {
        D* boxed = new D(std::forward<F>(fn));
        ::new (static_cast<void*>(slot.storage)) D*(boxed);
        slot.ops = &BoxedCallback<D>::ops;
    }
}

}  // namespace detail

/// What call_later / call_at return: names one armed callback, to cancel it.
///
///     auto h = sched.call_later(50ms, [&] { flush(); });
///     ...
///     h.cancel();  // true: it had not run and now never will
///
/// A plain value (copy it freely); dropping it does not cancel the timer. It
/// refers to its scheduler by address: use it only while the scheduler lives.
class TimerHandle {
  public:
    TimerHandle() = default;

    /// Disarms the timer and destroys its callable unrun. true if it was pending;
    /// false if it already ran (or is running now), was cancelled, or the handle is empty.
    bool cancel() noexcept;
    /// true until the callback starts running or is cancelled.
    bool pending() const noexcept;
    /// The timer's id: the `op` of its trace events (0 for an empty handle).
    std::uint64_t id() const noexcept { return m_id; }
    explicit operator bool() const noexcept { return m_sched != nullptr; }

  private:
    friend class Scheduler;
    TimerHandle(Scheduler* sched, std::uint32_t slot, std::uint64_t id) noexcept
        : m_sched(sched), m_slot(slot), m_id(id) {}

    Scheduler* m_sched = nullptr;
    std::uint32_t m_slot = 0;
    std::uint64_t m_id = 0;
};

}  // namespace cogen

// SharedLoop: a loop whose iterations two threads share. Its owner runs it (run()); a
// second thread, busy with work of its own, looks in now and then (help()) and takes
// iterations while some are left, or waits for loops until the owner closes (serve()),
// doing meanwhile what the owner says is ready for it (poke()). The owner never waits for
// the helper to come: what nobody took, it runs itself. TraceModel::add_events encodes a
// checkpoint's coroutines so, and has the storing thread log the lanes behind the replay
// (docs/visualizer-model.md, "Building on two cores").
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <type_traits>

namespace cogen::viz {

/// One loop at a time, shared by its owner and one helper thread.
///
///     SharedLoop loop;                     // owner thread          helper thread
///     loop.run(n, [&](std::size_t i) {...});                        loop.help();  (now and then)
///     loop.close();                                                 loop.serve(); (until closed)
class SharedLoop {
  public:
    /// Owner: runs body(i) once for each i in [0, n), here and on the helper (iterations
    /// may run at the same time, in any order). Returns when all have run; rethrows the
    /// first exception one of them threw.
    template <class Body>
    void run(std::size_t n, Body&& body) {
        if (n == 0) return;
        using B = std::remove_reference_t<Body>;
        begin(
            n, [](void* b, std::size_t i) { (*static_cast<B*>(b))(i); },
            const_cast<void*>(static_cast<const void*>(&body)));
        work();
        finish();
    }
    /// Helper: runs iterations of the loop in progress, if any, until none are left to
    /// take. One atomic load when there is no loop.
    void help() {
        if ((m_state.load(std::memory_order_acquire) & running) != 0) help_now();
    }
    /// Helper: helps every loop until close(); sleeps in between.
    void serve() {
        serve([] { return false; });
    }
    /// The same, and between loops runs idle_work() until it returns false (nothing to
    /// do), then sleeps until a loop, a poke() or close().
    template <class IdleWork>
    void serve(IdleWork&& idle_work) {
        for (;;) {
            const unsigned state = m_state.load(std::memory_order_acquire);
            if ((state & closed) != 0) return;
            if ((state & running) != 0) {
                help_now();
                rest();
            } else if (!idle_work()) {
                m_state.wait(state, std::memory_order_acquire);
            }
        }
    }
    /// Owner: wakes a serving helper to look at its idle work again.
    void poke() {
        m_state.fetch_add(poked);
        m_state.notify_all();
    }
    /// Owner: no more loops; serve() returns. open() makes the loop usable again.
    void close();
    void open();

  private:
    enum : unsigned { running = 1, closed = 2, poked = 4 };  // bits of m_state (poke counts)
    void begin(std::size_t n, void (*call)(void*, std::size_t), void* body);
    void work();  // takes iterations until none are left
    void finish();
    void help_now();
    void rest();  // nothing left to take: waits until the loop is over

    std::atomic<unsigned> m_state{0};
    std::atomic<std::size_t> m_next{0};  // the next iteration to take
    // Iterations that have run. 32 bits, as m_state: threads sleep on both, and libstdc++
    // (GCC 12) waits on a 4-byte atomic with a futex on its own address, on a wider one
    // through a shared proxy table. A two-thread build once hung in an ASan run of the
    // tests (not seen again in 50 runs, under load or not); the proxy path is the one
    // suspect the code's logic leaves, and this takes it away.
    std::atomic<std::uint32_t> m_done{0};
    std::atomic<unsigned> m_inside{0};             // helpers inside help_now()
    std::atomic<std::size_t> m_n{0};               // iterations of the loop
    void (*m_call)(void*, std::size_t) = nullptr;  // written by the owner before `running`
    void* m_body = nullptr;
    std::mutex m_error_mutex;
    std::exception_ptr m_error;
};

}  // namespace cogen::viz

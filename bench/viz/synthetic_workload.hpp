// A synthetic server-like trace for the GUI benchmarks: `alive` coroutines that sleep, read
// sockets through the proactor, wait on signals and queues, are woken and run again, with a
// poll now and then, until the trace holds `events` events. With a sink, the events are
// handed over in chunks instead of kept (a trace of any length in constant memory).
#pragma once
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <vector>

#include "cogen/instrument.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::viz::bench {

class SyntheticWorkload {
  public:
    /// Receives the strings (in data()) and the next chunk of events.
    using Sink = std::function<void(const trace::TraceData&, std::span<const TraceEvent>)>;

    /// `finish_one_in`: a coroutine woken finishes once in this many wakes, and a new one
    /// takes its place (a server's connections coming and going); 0: never.
    SyntheticWorkload(std::size_t events, std::size_t alive, Sink sink = nullptr,
                      std::size_t chunk = std::size_t{1} << 20, std::size_t finish_one_in = 0)
        : m_rng(42), m_finish_one_in(finish_one_in) {
        const char* names[] = {"Sleep", "Recv", "WaitForSignal", "QueueGet",
                               "epoll", "tick", "jobs",          "worker"};
        for (std::uint32_t i = 0; i < 8; ++i) m_data.strings.set(i + 1, names[i]);
        m_data.header.program = "bench";
        m_data.header.backend = "epoll";
        if (!sink) {
            m_data.events.reserve(events + 16);
            emit(EventKind::sched_run_begin, 0, 0, 0, 0, 5);
            for (std::size_t i = 0; i < alive; ++i) spawn();
            while (m_data.events.size() < events) step();
            m_data.events.resize(events);
            return;
        }
        m_data.events.reserve(chunk + 16);
        emit(EventKind::sched_run_begin, 0, 0, 0, 0, 5);
        for (std::size_t i = 0; i < alive; ++i) spawn();
        while (m_seq < events) {
            step();
            if (m_data.events.size() >= chunk || m_seq >= events) {
                const std::size_t over = m_seq > events ? m_seq - events : 0;
                sink(m_data,
                     std::span<const TraceEvent>(m_data.events).first(m_data.events.size() - over));
                m_data.events.clear();
            }
        }
    }
    trace::TraceData& data() { return m_data; }

  private:
    struct Waiter {
        std::uint64_t coro = 0;
        std::uint64_t op = 0;
        int wait = 0;  // 0 timer, 1 fd, 2 signal, 3 queue
    };

    std::size_t pick(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_rng);
    }

    void emit(EventKind kind, std::uint64_t coro, std::uint64_t op, std::int64_t a, std::int64_t b,
              std::uint32_t text = 0, std::uint32_t op_type = 0, int fd = -1) {
        m_now += 300 + pick(1500);
        TraceEvent e;
        e.seq = ++m_seq;
        e.t_ns = m_now;
        e.kind = kind;
        e.coro = coro;
        e.op = op;
        e.a = a;
        e.b = b;
        e.text = text;
        e.op_type = op_type;
        e.fd = fd;
        m_data.events.push_back(e);
    }

    void spawn() {
        const std::uint64_t id = ++m_next_coro;
        emit(EventKind::coro_spawn, id, 0, 0, 0, 8);
        emit(EventKind::coro_resume, id, 0, 0, 0);
        park(id);
    }

    void park(std::uint64_t coro) {
        const std::uint64_t op = ++m_next_op;
        const int wait = static_cast<int>(pick(4));
        const std::uint32_t type[] = {1, 2, 3, 4};
        emit(EventKind::coro_suspend, coro, op, 0, 0, 0, type[wait]);
        switch (wait) {
            case 0:
                emit(EventKind::op_process, coro, op, 2, 5'000'000, 0, 1);
                break;
            case 1: {
                const int fd = 10 + static_cast<int>(coro % 5000);
                emit(EventKind::op_process, coro, op, 1, 0, 0, 2, fd);
                emit(EventKind::proactor_register, coro, op, 1, 0, 0, 2, fd);
                break;
            }
            case 2:
                emit(EventKind::op_process, coro, op, 3, 0, 6, 3);
                break;
            default:
                emit(EventKind::op_process, coro, op, 5, 0, 7, 4);
                break;
        }
        m_waiters.push_back({coro, op, wait});
    }

    void step() {
        if (pick(64) == 0) {
            emit(EventKind::proactor_poll_begin, 0, 0, 10'000'000, 100,
                 5);                                              // timeout, fds, "epoll"
            emit(EventKind::proactor_poll_end, 0, 0, 3, 20'000);  // ready, ns waited
        }
        const std::size_t i = pick(m_waiters.size());
        const Waiter w = m_waiters[i];
        m_waiters[i] = m_waiters.back();
        m_waiters.pop_back();
        switch (w.wait) {
            case 0:
                emit(EventKind::timer_fire, w.coro, w.op, 1000, 0);
                emit(EventKind::op_ready, w.coro, w.op, 2, static_cast<std::int64_t>(m_seq));
                break;
            case 1:
                emit(EventKind::op_run, w.coro, w.op, 512, 1, 0, 2, 10);
                emit(EventKind::proactor_unregister, w.coro, w.op, 0, 0, 0, 2, 10);
                emit(EventKind::op_ready, w.coro, w.op, 1, static_cast<std::int64_t>(m_seq));
                break;
            default:
                emit(EventKind::op_ready, w.coro, w.op, w.wait == 2 ? 3 : 5, 0);
                break;
        }
        emit(EventKind::sched_active, 0, 0, 1, 0);
        emit(EventKind::op_finalize, w.coro, w.op, 0, 0);
        emit(EventKind::coro_resume, w.coro, w.op, 1, 0);
        if (m_finish_one_in != 0 && pick(m_finish_one_in) == 0) {
            emit(EventKind::coro_finish, w.coro, 0, 0, 0);
            spawn();
            return;
        }
        park(w.coro);
    }

    std::mt19937_64 m_rng;
    std::size_t m_finish_one_in = 0;
    trace::TraceData m_data;
    std::uint64_t m_seq = 0;
    std::uint64_t m_now = 0;
    std::uint64_t m_next_coro = 0;
    std::uint64_t m_next_op = 0;
    std::vector<Waiter> m_waiters;
};

}  // namespace cogen::viz::bench

// cogen-bench-model: builds a synthetic trace (1M events by default) and
// measures how long TraceModel takes to load it and to seek to random points
// (the visualizer's budget is 50 ms per seek), and what its memory holds, part by part.
// Usage: cogen-bench-model [events [alive_coroutines [finish_one_op_in]]]
//        cogen-bench-model --file TRACE   (streams a trace file into the model instead:
//        no copy of the whole trace in memory, so the RSS growth is the model's)
//        --one-thread first: the model built on one thread (ModelOptions::build_threads = 1)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "bench_args.hpp"
#include "rss.hpp"

#include "cogen/trace/reader.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "cogen/viz/trace_model.hpp"
#include "cogen/viz/wake_chain.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CPU time of `clock` (CLOCK_PROCESS_CPUTIME_ID: every thread; CLOCK_THREAD_CPUTIME_ID: this one).
double cpu_ms(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// A server-like workload: coroutines that sleep, read sockets through the
// proactor, wait on signals and queues, wake up, and are replaced when they end.
class SyntheticTrace {
  public:
    SyntheticTrace(std::size_t events, std::size_t alive, std::size_t finish_one_in)
        : m_rng(1234), m_finish_one_in(std::max<std::size_t>(finish_one_in, 1)) {
        m_data.events.reserve(events + 64);
        const char* names[] = {"Sleep", "Recv",  "WaitForSignal", "Signal", "QGet",
                               "QPut",  "epoll", "tick",          "jobs",   "worker"};
        for (std::uint32_t i = 0; i < 10; ++i) m_data.strings.set(i + 1, names[i]);
        emit(cogen::EventKind::sched_run_begin, 0, 0, 0, 0, 7);
        for (std::size_t i = 0; i < alive; ++i) spawn();
        while (m_data.events.size() < events) step();
    }
    cogen::trace::TraceData& data() { return m_data; }

  private:
    enum class Wait { timer, fd, signal, queue };
    struct Waiter {
        std::uint64_t coro;
        std::uint64_t op;
        Wait wait;
    };

    std::size_t pick(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_rng);
    }

    void emit(cogen::EventKind kind, std::uint64_t coro, std::uint64_t op, std::int64_t a,
              std::int64_t b, std::uint32_t text = 0, std::uint32_t op_type = 0, int fd = -1) {
        m_now += 200 + pick(2000);
        cogen::TraceEvent e;
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
        emit(cogen::EventKind::coro_spawn, id, 0, 0, 0, 10);
        emit(cogen::EventKind::coro_resume, id, 0, 0, 0);
        park(id);
    }

    // The running coroutine awaits its next op; most park, a few end.
    void park(std::uint64_t coro) {
        if (pick(m_finish_one_in) == 0) {
            emit(cogen::EventKind::coro_finish, coro, 0, 0, 0);
            spawn();
            return;
        }
        const std::uint64_t op = ++m_next_op;
        const auto wait = static_cast<Wait>(pick(4));
        const std::uint32_t type[] = {1, 2, 3, 5};
        emit(cogen::EventKind::coro_suspend, coro, op, 0, 0, 0, type[static_cast<int>(wait)]);
        switch (wait) {
            case Wait::timer:
                emit(cogen::EventKind::op_process, coro, op, 2, 5'000'000, 0, 1);
                break;
            case Wait::fd: {
                const int fd = 10 + static_cast<int>(coro % 5000);
                emit(cogen::EventKind::op_process, coro, op, 1, 0, 0, 2, fd);
                emit(cogen::EventKind::proactor_register, coro, op, 1, 0, 0, 2, fd);
                break;
            }
            case Wait::signal:
                emit(cogen::EventKind::op_process, coro, op, 3, 0, 8, 3);
                break;
            case Wait::queue:
                emit(cogen::EventKind::op_process, coro, op, 5, 0, 9, 5);
                break;
        }
        m_waiters.push_back({coro, op, wait});
    }

    // Wake one random waiter through the event its wait needs, then run it.
    void step() {
        const std::size_t i = pick(m_waiters.size());
        const Waiter w = m_waiters[i];
        m_waiters[i] = m_waiters.back();
        m_waiters.pop_back();
        switch (w.wait) {
            case Wait::timer: {
                emit(cogen::EventKind::timer_fire, w.coro, w.op, 1000, 0);
                emit(cogen::EventKind::op_ready, w.coro, w.op, 2, static_cast<std::int64_t>(m_seq));
                break;
            }
            case Wait::fd: {
                const int fd = 10 + static_cast<int>(w.coro % 5000);
                emit(cogen::EventKind::proactor_poll_begin, 0, 0, 1'000'000, 100, 7);
                emit(cogen::EventKind::proactor_poll_end, 0, 0, 1, 5000);
                const auto poll = static_cast<std::int64_t>(m_seq);
                emit(cogen::EventKind::op_run, w.coro, w.op, 512, 1, 0, 0, fd);
                emit(cogen::EventKind::proactor_unregister, w.coro, w.op, 0, 0, 0, 0, fd);
                emit(cogen::EventKind::op_ready, w.coro, w.op, 1, poll);
                break;
            }
            case Wait::signal:
            case Wait::queue: {
                const std::uint64_t by = 1 + pick(m_next_coro);
                emit(cogen::EventKind::op_ready, w.coro, w.op, w.wait == Wait::signal ? 3 : 5,
                     static_cast<std::int64_t>(by));
                break;
            }
        }
        emit(cogen::EventKind::sched_active, 0, 0, static_cast<std::int64_t>(pick(8)), 0);
        emit(cogen::EventKind::op_finalize, w.coro, w.op, 0, 0);
        emit(cogen::EventKind::coro_resume, w.coro, w.op, 1, 0);
        park(w.coro);
    }

    cogen::trace::TraceData m_data;
    std::mt19937_64 m_rng;
    std::size_t m_finish_one_in;
    std::vector<Waiter> m_waiters;
    std::uint64_t m_seq = 0;
    std::uint64_t m_now = 0;
    std::uint64_t m_next_coro = 0;
    std::uint64_t m_next_op = 0;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void print_memory(const cogen::viz::TraceModel& model) {
    const cogen::viz::ModelMemory m = model.memory();
    const double n = static_cast<double>(std::max<std::size_t>(1, model.size()));
    auto per = [n](std::size_t bytes) { return static_cast<double>(bytes) / n; };
    std::printf(
        "memory by part    B/event: events %.1f, coroutine events and lanes %.1f, "
        "transitions %.1f, op chain %.1f, coroutines %.1f, checkpoints %.1f, latest %.1f\n",
        per(m.events), per(m.coroutine_events), per(m.transitions), per(m.op_chain),
        per(m.coroutines), per(m.checkpoints), per(m.latest));
}

}  // namespace

int main(int argc, char** argv) {
    unsigned build_threads = 2;
    if (argc > 1 && std::string(argv[1]) == "--one-thread") {
        build_threads = 1;
        --argc;
        ++argv;
    }
    const bool from_file = argc == 3 && std::string(argv[1]) == "--file";
    if (!from_file) {
        if (const int status = cogen::bench::check_positional_args(
                argc, argv,
                "usage: cogen-bench-model [--one-thread] [events [alive_coroutines "
                "[finish_one_op_in]]] | [--one-thread] --file TRACE",
                3, 3);
            status >= 0) {
            return status;
        }
    }
    const std::size_t events =
        argc > 1 && !from_file ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    const std::size_t alive = argc > 2 && !from_file ? std::strtoull(argv[2], nullptr, 10) : 2000;
    const std::size_t finish_one_in = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 200;

    auto start = Clock::now();
    double build_ms = 0;
    double load_ms = 0;
    double load_cpu_ms = 0;   // every thread's, while loading
    double load_main_ms = 0;  // this thread's (the storing one)
    cogen::viz::TraceModel model{cogen::viz::ModelOptions{.build_threads = build_threads}};
    if (from_file) {
        const long rss_before = cogen::bench::rss_bytes();
        const double cpu_start = cpu_ms(CLOCK_PROCESS_CPUTIME_ID);
        const double main_start = cpu_ms(CLOCK_THREAD_CPUTIME_ID);
        std::uint32_t strings = 1;
        const cogen::trace::TraceData tail = cogen::trace::read_trace_events(
            argv[2], {.background = true}, [&](const cogen::trace::TraceBatch& batch) {
                for (; strings < batch.strings.size(); ++strings)
                    model.add_string(strings, batch.strings.get(strings));
                model.add_events(batch.events);
            });
        for (; strings < tail.strings.size(); ++strings)
            model.add_string(strings, tail.strings.get(strings));
        load_ms = ms_since(start);
        load_cpu_ms = cpu_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
        load_main_ms = cpu_ms(CLOCK_THREAD_CPUTIME_ID) - main_start;
        const long rss = cogen::bench::rss_bytes();
        std::printf("rss               %.0f MB after loading (%.0f before): %.1f B/event\n",
                    static_cast<double>(rss) / 1e6, static_cast<double>(rss_before) / 1e6,
                    static_cast<double>(rss - rss_before) /
                        static_cast<double>(std::max<std::size_t>(1, model.size())));
    } else {
        SyntheticTrace synthetic(events, alive, finish_one_in);
        build_ms = ms_since(start);
        start = Clock::now();
        const double cpu_start = cpu_ms(CLOCK_PROCESS_CPUTIME_ID);
        const double main_start = cpu_ms(CLOCK_THREAD_CPUTIME_ID);
        model.load(synthetic.data());
        load_ms = ms_since(start);
        load_cpu_ms = cpu_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
        load_main_ms = cpu_ms(CLOCK_THREAD_CPUTIME_ID) - main_start;
    }

    std::mt19937_64 rng(99);
    std::uniform_int_distribution<std::uint64_t> seqs(1, model.last_seq());
    std::vector<double> seek_ms;
    for (int i = 0; i < 41; ++i) {
        const std::uint64_t seq = seqs(rng);
        start = Clock::now();
        const cogen::viz::ModelState state = model.state_at(seq);
        seek_ms.push_back(ms_since(start));
        if (state.seq > seq) return 1;
    }

    // The viewer's way: one state, moved from seek to seek (its memory reused).
    cogen::viz::ModelState cursor;
    std::vector<double> reuse_ms;
    for (int i = 0; i < 41; ++i) {
        const std::uint64_t seq = seqs(rng);
        start = Clock::now();
        model.seek(cursor, seq);
        reuse_ms.push_back(ms_since(start));
        if (cursor.seq > seq) return 1;
    }

    cursor = model.state_at(model.last_seq() / 2);
    start = Clock::now();
    for (int i = 1; i <= 1000; ++i) model.seek(cursor, model.last_seq() / 2 + i);
    const double step_us = ms_since(start);  // 1000 steps: ms total == us per step

    std::vector<double> why_ms;
    for (int i = 0; i < 21; ++i) {
        const std::uint64_t seq = seqs(rng);
        const auto events_of = model.events_of(model.events()[model.count_upto(seq) - 1].coro);
        std::uint64_t resume = 0;
        for (std::size_t idx : events_of) {
            if (model.events()[idx].kind == cogen::EventKind::coro_resume)
                resume = model.events()[idx].seq;
        }
        start = Clock::now();
        (void)cogen::viz::why_woken(model, resume);
        why_ms.push_back(ms_since(start));
    }

    start = Clock::now();
    const auto findings = cogen::viz::find_stalls(model, model.latest(), model.last_t_ns());
    const double stalls_ms = ms_since(start);

    std::printf("events            %zu (%zu coroutines, built in %.0f ms)\n", model.size(),
                model.coroutine_ids().size(), build_ms);
    std::printf("load              %.0f ms (%.0f ns/event)\n", load_ms,
                load_ms * 1e6 / static_cast<double>(model.size()));
    std::printf("load cpu          %.0f ms, all threads (%.0f ns/event); %.0f ms the storing one\n",
                load_cpu_ms, load_cpu_ms * 1e6 / static_cast<double>(model.size()), load_main_ms);
    std::printf("checkpoints       %zu (%zu full copies), %.1f MB\n", model.checkpoint_count(),
                model.full_checkpoint_count(), static_cast<double>(model.checkpoint_bytes()) / 1e6);
    std::printf(
        "model memory      %.1f MB (approx_bytes), %.0f B/event; events alone %.1f B/event "
        "(TraceEvent: %zu)\n",
        static_cast<double>(model.approx_bytes()) / 1e6,
        static_cast<double>(model.approx_bytes()) / static_cast<double>(model.size()),
        static_cast<double>(model.event_bytes()) / static_cast<double>(model.size()),
        sizeof(cogen::TraceEvent));
    print_memory(model);
    std::printf("seek (random)     median %.2f ms, max %.2f ms over %zu seeks\n", median(seek_ms),
                *std::max_element(seek_ms.begin(), seek_ms.end()), seek_ms.size());
    std::printf("seek (one state)  median %.2f ms, max %.2f ms over %zu seeks (the viewer's way)\n",
                median(reuse_ms), *std::max_element(reuse_ms.begin(), reuse_ms.end()),
                reuse_ms.size());
    std::printf("seek (step +1)    %.2f us per step\n", step_us);
    std::printf("why_woken         median %.3f ms\n", median(why_ms));
    std::printf("find_stalls       %.1f ms (%zu findings on the latest state)\n", stalls_ms,
                findings.size());
    return 0;
}

// random_trace: a plausible random event stream (coroutines sleeping, waiting
// on signals, queues, fds and joins, and waking up), for tests that compare
// ways of computing the same state.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

#include "trace_builder.hpp"

namespace cogen::viz::test {

/// A random but well-formed trace of about `events` events.
///
///     TraceBuilder t = random_trace(42, 5000);
inline TraceBuilder random_trace(std::uint32_t seed, std::size_t events) {
    enum class Status { active, running, waiting, ended };
    struct Coro {
        std::uint64_t id;
        Status status;
        std::uint64_t op;
        Outcome wait;
        bool started;
    };
    std::mt19937 rng(seed);
    auto pick = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };
    TraceBuilder t;
    std::vector<Coro> coros;
    std::uint64_t next_op = 100;
    std::uint64_t next_id = 1;
    auto spawn = [&](std::uint64_t parent) {
        const std::uint64_t id = next_id++;
        t.spawn(id, "c" + std::to_string(id), parent);
        coros.push_back({id, Status::active, 0, Outcome::ready, false});
    };
    t.run_begin();
    for (int i = 0; i < 8; ++i) spawn(0);
    const char* names[] = {"a", "b", "c"};

    // The one coroutine running, if any (an index: a scan of every coroutine ever spawned
    // made long traces quadratic).
    constexpr std::size_t none = ~std::size_t{0};
    std::size_t running = none;
    while (t.data().events.size() < events) {
        t.advance_ns(1'000 + pick(50'000));
        if (running != none) {
            Coro& c = coros[running];
            running = none;  // every case below leaves it active, waiting or ended
            const std::uint64_t op = next_op++;
            c.op = op;
            switch (pick(9)) {
                case 0:
                    t.sleep(c.id, op, 1 + pick(5));
                    c.wait = Outcome::timer;
                    break;
                case 1:
                    t.wait_signal(c.id, op, names[pick(3)]);
                    c.wait = Outcome::signal;
                    break;
                case 2:
                    t.emit(c.id, op, names[pick(3)]);
                    c.wait = Outcome::ready;
                    break;
                case 3:
                    t.queue_get(c.id, op, names[pick(3)]);
                    c.wait = Outcome::queue;
                    break;
                case 4:
                    t.queue_put(c.id, op, names[pick(3)]);
                    c.wait = Outcome::ready;
                    break;
                case 5:
                    t.recv(c.id, op, 3 + static_cast<int>(pick(5)));
                    c.wait = Outcome::proactor;
                    break;
                case 6: {
                    const Coro& other = coros[pick(coros.size())];
                    t.join(c.id, op, other.id);
                    c.wait = Outcome::join;
                    break;
                }
                case 7:
                    if (pick(3) == 0) {
                        t.finish(c.id);
                    } else {
                        t.fail(c.id, "oops");
                    }
                    c.status = Status::ended;
                    spawn(c.id);
                    continue;
                default:
                    t.await_op(c.id, op, "Yield", Outcome::yield);
                    c.wait = Outcome::ready;
                    break;
            }
            c.status = c.wait == Outcome::ready ? Status::active : Status::waiting;
            continue;
        }
        const std::size_t picked = pick(coros.size());
        Coro& c = coros[picked];
        if (c.status == Status::active) {
            if (!c.started) {
                t.start(c.id);
                c.started = true;
            } else {
                t.wake(c.id, c.op);
            }
            c.status = Status::running;
            running = picked;
        } else if (c.status == Status::waiting) {
            switch (c.wait) {
                case Outcome::timer: {
                    const auto fire = t.timer_fire(c.id, c.op, 500);
                    t.ready(c.id, c.op, Outcome::timer, static_cast<std::int64_t>(fire));
                    break;
                }
                case Outcome::proactor: {
                    const auto end = t.poll(4, 1, 0.1);
                    t.run_op(c.id, c.op, 3, 10, true);
                    t.unregister_fd(c.id, c.op, 3);
                    t.ready(c.id, c.op, Outcome::proactor, static_cast<std::int64_t>(end));
                    break;
                }
                default:
                    t.ready(c.id, c.op, c.wait,
                            static_cast<std::int64_t>(coros[pick(coros.size())].id));
                    break;
            }
            c.status = Status::active;
            t.active(static_cast<std::int64_t>(pick(6)));
        } else if (pick(20) == 0) {
            t.heartbeat();
        }
    }
    return t;
}

}  // namespace cogen::viz::test

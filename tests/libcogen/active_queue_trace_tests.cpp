// The active queue can be rebuilt from the trace alone: every sched.active
// names the pair's coroutine and says where it went (ActiveChange), so a
// reader that replays them predicts every pick the scheduler makes, under
// every default priority and every proactor.
#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <deque>
#include <set>

#include "cogen/cogen.hpp"
#include "support/all_proactors.hpp"
#include "support/recording_instrument.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::ActiveChange;
using cogen::Coro;
using cogen::EventKind;
using cogen::Priority;

namespace {

/// Replays the sched.active events of `events`, checking each against the
/// queue it has rebuilt so far. Returns the changes seen.
std::set<ActiveChange> replay_active_queue(const std::vector<cogen::TraceEvent>& events) {
    std::deque<std::uint64_t> queue;
    std::uint64_t urgent = 0;
    std::set<ActiveChange> seen;
    for (const cogen::TraceEvent& e : events) {
        if (e.kind == EventKind::coro_resume && e.coro == urgent) urgent = 0;  // picked
        if (e.kind != EventKind::sched_active) continue;
        INFO("seq " << e.seq << " coro " << e.coro << " change " << e.b);
        REQUIRE(e.coro != 0);
        const auto change = static_cast<ActiveChange>(e.b);
        seen.insert(change);
        switch (change) {
            case ActiveChange::back:
            case ActiveChange::start_round:
                queue.push_back(e.coro);
                break;
            case ActiveChange::front:
                if (e.coro == urgent) urgent = 0;  // displaced from the urgent slot
                queue.push_front(e.coro);
                break;
            case ActiveChange::urgent:
                urgent = e.coro;  // a displaced one is reported by its own front push
                break;
            case ActiveChange::taken:
                REQUIRE(!queue.empty());
                CHECK(queue.front() == e.coro);
                queue.pop_front();
                break;
            case ActiveChange::dropped: {
                const auto it = std::find(queue.begin(), queue.end(), e.coro);
                if (it != queue.end()) {
                    queue.erase(it);
                } else {
                    CHECK(urgent == e.coro);
                    urgent = 0;
                }
                break;
            }
        }
        CHECK(e.a == static_cast<std::int64_t>(queue.size()));
    }
    CHECK(queue.empty());
    return seen;
}

void queue_is_rebuilt_from_the_trace(cogen::ProactorKind kind) {
    const Priority prio = GENERATE(Priority::LAST, Priority::CORO, Priority::OP, Priority::FIRST);
    INFO("default priority " << static_cast<int>(prio));
    cogen::test::RecordingInstrument rec;
    auto options = cogen::test::options_for(kind, true, prio);
    options.instrument = &rec;
    cogen::Scheduler sched{options};

    // Three readers whose data arrives in one poll batch (the last one becomes urgent),
    // a signal with two waiters, a coroutine added at the front and one cancelled unrun.
    auto p1 = cogen::test::tcp_pair();
    auto p2 = cogen::test::tcp_pair();
    auto p3 = cogen::test::tcp_pair();
    int read = 0;
    auto reader = [&](cogen::net::Socket& s) -> Coro<> {
        const std::string got = co_await s.recv(8, 1s);
        read += static_cast<int>(got.size());
        co_await cogen::WaitForSignal{"go", 1s};
    };
    auto writer = [&]() -> Coro<> {
        co_await cogen::Sleep{2ms};  // every reader is parked on its fd by now
        CHECK(::send(p1.client.fd(), "a", 1, 0) == 1);
        CHECK(::send(p2.client.fd(), "b", 1, 0) == 1);
        CHECK(::send(p3.client.fd(), "c", 1, 0) == 1);
        co_await cogen::Sleep{5ms};
        co_await cogen::Signal{"go"};
    };
    auto never = []() -> Coro<> { co_return; };
    auto first = []() -> Coro<> { co_await cogen::Yield{}; };
    sched.add(reader(p1.server), {.name = "r1"});
    sched.add(reader(p2.server), {.name = "r2"});
    sched.add(reader(p3.server), {.name = "r3"});
    sched.add(writer(), {.name = "writer"});
    auto dropped = sched.add(never(), {.name = "dropped"});
    sched.add(first(), {.name = "first", .front = true});
    dropped.cancel();
    sched.run();
    CHECK(read == 3);
    CHECK(dropped.state() == cogen::CoroState::killed);

    const std::set<ActiveChange> seen = replay_active_queue(rec.events());
    CHECK(seen.count(ActiveChange::back) == 1);
    CHECK(seen.count(ActiveChange::front) == 1);
    CHECK(seen.count(ActiveChange::start_round) == 1);
    CHECK(seen.count(ActiveChange::taken) == 1);
    CHECK(seen.count(ActiveChange::dropped) == 1);
    CHECK(seen.count(ActiveChange::urgent) == 1);
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(queue_is_rebuilt_from_the_trace,
                         "The active queue can be rebuilt from the trace's sched.active events",
                         "[scheduler][trace]")

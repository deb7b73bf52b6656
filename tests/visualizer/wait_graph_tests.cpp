// Tests of the wait-for graph: wakers per kind of wait, the stuck set and the
// deadlock cycles.
#include "cogen/viz/wait_graph.hpp"

#include <catch2/catch.hpp>

#include "trace_builder.hpp"

using cogen::Outcome;
using cogen::viz::WaitForGraph;
using cogen::viz::test::TraceBuilder;
using Ids = std::vector<std::uint64_t>;

namespace {

// Coroutines 1..n spawned and started, each left running in turn.
TraceBuilder started(int n) {
    TraceBuilder t;
    for (int i = 1; i <= n; ++i) t.spawn(static_cast<std::uint64_t>(i), "c" + std::to_string(i));
    return t;
}

WaitForGraph graph_of(const TraceBuilder& t) {
    return WaitForGraph::build(t.model().latest());
}

Ids wakers_of(const TraceBuilder& t, std::uint64_t coro) {
    const WaitForGraph g = graph_of(t);
    return g.find(coro) != nullptr ? g.wakers(*g.find(coro)) : Ids{99999};
}

}  // namespace

TEST_CASE("A join wait is woken by the joined coroutine while it is alive",
          "[vizmodel][wait-graph]") {
    TraceBuilder t = started(2);
    t.start(1);
    t.join(1, 10, 2);
    const WaitForGraph g = graph_of(t);
    REQUIRE(g.find(1) != nullptr);
    CHECK(g.wakers(*g.find(1)) == Ids{2});
    CHECK_FALSE(g.find(1)->external);
    CHECK(g.find(2) == nullptr);
}

TEST_CASE("A signal wait is woken by the live coroutines that emitted that signal before",
          "[vizmodel][wait-graph]") {
    TraceBuilder t = started(4);
    t.start(2);
    t.emit(2, 20, "go");
    t.start(3);
    t.emit(3, 30, "go");
    t.finish(3);
    t.start(4);
    t.emit(4, 40, "other");
    t.start(1);
    t.wait_signal(1, 10, "go");
    CHECK(wakers_of(t, 1) == Ids{2});
}

TEST_CASE("A queue wait is woken by the other live coroutines that used the queue",
          "[vizmodel][wait-graph]") {
    TraceBuilder t = started(3);
    t.start(2);
    t.queue_put(2, 20, "jobs");
    t.start(3);
    t.queue_put(3, 30, "other");
    t.start(1);
    t.queue_get(1, 10, "jobs");
    CHECK(wakers_of(t, 1) == Ids{2});
}

TEST_CASE("Fd and timer waits are external: no coroutine wakes them", "[vizmodel][wait-graph]") {
    TraceBuilder t = started(2);
    t.start(1);
    t.recv(1, 10, 5);
    t.start(2);
    t.sleep(2, 20, 5);
    const WaitForGraph g = graph_of(t);
    CHECK(g.find(1)->external);
    CHECK(g.find(2)->external);
    CHECK(g.stuck().empty());
}

TEST_CASE("Two coroutines joining each other form a deadlock cycle", "[vizmodel][wait-graph]") {
    TraceBuilder t = started(3);
    t.start(1);
    t.join(1, 10, 2);
    t.start(2);
    t.join(2, 20, 1);
    t.start(3);
    t.join(3, 30, 1);
    const WaitForGraph g = graph_of(t);
    CHECK(g.stuck() == Ids{1, 2, 3});
    REQUIRE(g.cycles().size() == 1);
    CHECK(g.cycles()[0] == Ids{1, 2});
}

TEST_CASE("A queue wait and a join wait can close a cycle together", "[vizmodel][wait-graph]") {
    TraceBuilder t = started(2);
    t.start(2);
    t.queue_put(2, 20, "jobs");
    t.join(2, 21, 1);
    t.start(1);
    t.queue_get(1, 10, "jobs");
    REQUIRE(graph_of(t).cycles().size() == 1);
    CHECK(graph_of(t).cycles()[0] == Ids{1, 2});
}

TEST_CASE("A coroutine joining itself is a cycle of one", "[vizmodel][wait-graph]") {
    TraceBuilder t = started(1);
    t.start(1);
    t.join(1, 10, 1);
    CHECK(graph_of(t).cycles() == std::vector<Ids>{{1}});
}

TEST_CASE("A wait is not stuck while one of its wakers can still run", "[vizmodel][wait-graph]") {
    TraceBuilder t = started(3);
    t.start(3);
    t.queue_put(3, 30, "jobs");
    t.start(2);
    t.queue_put(2, 20, "jobs");
    t.join(2, 21, 1);
    t.start(1);
    t.queue_get(1, 10, "jobs");  // 3 used the queue too and is in the active queue
    const WaitForGraph g = graph_of(t);
    CHECK(g.wakers(*g.find(1)) == Ids{2, 3});
    CHECK(g.stuck().empty());
    CHECK(g.cycles().empty());
}

TEST_CASE("A signal wait whose only past emitter is the waiter itself has no waker",
          "[vizmodel][wait-graph]") {
    TraceBuilder t = started(1);
    t.start(1);
    t.emit(1, 9, "go");
    t.wait_signal(1, 10, "go");
    const WaitForGraph g = graph_of(t);
    CHECK(g.wakers(*g.find(1)).empty());
    CHECK_FALSE(g.has_wakers(*g.find(1)));
}

TEST_CASE("Many waiters on one queue share its users as wakers", "[vizmodel][wait-graph]") {
    TraceBuilder t = started(300);
    for (std::uint64_t id = 1; id <= 300; ++id) {
        t.start(id);
        t.queue_put(id, 1000 + id, "jobs");
        t.queue_get(id, 2000 + id, "jobs");
    }
    const WaitForGraph g = graph_of(t);
    CHECK(g.wakers(*g.find(7)).size() == 299);
    CHECK(g.stuck().size() == 300);
    REQUIRE(g.cycles().size() == 1);
    CHECK(g.cycles()[0] == Ids{1, 2});
}

TEST_CASE("Waits with a timeout never count as deadlocked", "[vizmodel][wait-graph]") {
    TraceBuilder t = started(2);
    t.start(1);
    t.join(1, 10, 2, 1'000'000'000);
    t.start(2);
    t.join(2, 20, 1);
    CHECK(graph_of(t).cycles().empty());
}

TEST_CASE("A long chain of joins into a cycle reports only the cycle", "[vizmodel][wait-graph]") {
    TraceBuilder t;
    const int n = 2000;
    for (int i = 1; i <= n; ++i) t.spawn(static_cast<std::uint64_t>(i), "c");
    for (int i = 1; i <= n; ++i) {
        t.start(static_cast<std::uint64_t>(i));
        const std::uint64_t target = i == n ? n - 1 : static_cast<std::uint64_t>(i + 1);
        t.join(static_cast<std::uint64_t>(i), 10'000 + static_cast<std::uint64_t>(i), target);
    }
    const WaitForGraph g = graph_of(t);
    CHECK(g.stuck().size() == static_cast<std::size_t>(n));
    CHECK(g.cycles() == std::vector<Ids>{{n - 1, n}});
}

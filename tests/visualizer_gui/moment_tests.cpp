// Moments named on the command line: a seq, the end, the last return of run(), the busiest
// point of the trace.
#include "moment.hpp"

#include <catch2/catch.hpp>

#include "gui_test_support.hpp"

using namespace cogen::viz;

TEST_CASE("end is the last event and a number is itself", "[moment]") {
    const TraceModel model{cogen::viz::test::stations_trace()};
    CHECK(resolve_moment(model, "end") == model.last_seq());
    CHECK(resolve_moment(model, "12") == 12u);
    CHECK_FALSE(resolve_moment(model, "later"));
}

TEST_CASE("busiest is the first event after which the most coroutines wait", "[moment]") {
    // Coroutines 1 to 5 park one after the other; the fifth parks at seq 27.
    const TraceModel model{cogen::viz::test::stations_trace()};
    CHECK(resolve_moment(model, "busiest") == 27u);
}

TEST_CASE("run-end is the last sched.run.end, or the end without one", "[moment]") {
    auto data = cogen::viz::test::stations_trace();
    const TraceModel without{data};
    CHECK(resolve_moment(without, "run-end") == without.last_seq());
    cogen::TraceEvent end;
    end.seq = data.events.back().seq + 1;
    end.t_ns = data.events.back().t_ns + 10;
    end.kind = cogen::EventKind::sched_run_end;
    data.events.push_back(end);
    cogen::TraceEvent kill = end;
    kill.seq += 1;
    kill.kind = cogen::EventKind::coro_kill;
    kill.coro = 1;
    data.events.push_back(kill);
    const TraceModel with{data};
    CHECK(resolve_moment(with, "run-end") == end.seq);
}

TEST_CASE("nothing is resolved in an empty trace but numbers", "[moment]") {
    const TraceModel empty;
    CHECK_FALSE(resolve_moment(empty, "end"));
    CHECK(resolve_moment(empty, "3") == 3u);
}

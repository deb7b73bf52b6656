// Tests of the model's wording: durations, coroutine references, event lines (the tracer's).
#include "cogen/viz/event_text.hpp"

#include <catch2/catch.hpp>

#include "trace_builder.hpp"

using cogen::viz::format_duration;
using cogen::viz::test::TraceBuilder;

TEST_CASE("Durations are printed with three significant digits and a unit", "[vizmodel][text]") {
    CHECK(format_duration(0) == "0 ns");
    CHECK(format_duration(830) == "830 ns");
    CHECK(format_duration(1'250) == "1.25 us");
    CHECK(format_duration(1'250'000) == "1.25 ms");
    CHECK(format_duration(52'000'000) == "52 ms");
    CHECK(format_duration(250'000'000) == "250 ms");
    CHECK(format_duration(2'500'000'000) == "2.5 s");
}

TEST_CASE("An event line names the kind, the coroutine and what happened", "[vizmodel][text]") {
    TraceBuilder t;
    t.spawn(3, "worker");
    const auto process = t.sleep(3, 17, 100);
    const auto emit = t.emit(3, 18, "go", {{4, 40}, {5, 50}});
    const auto model = t.model();
    CHECK(cogen::viz::describe_event(model, *model.find_event(process)) ==
          "op.process           coro 3 \"worker\"  Sleep#17  -> wait:timer (timeout 100 ms)");
    CHECK(cogen::viz::describe_event(model, *model.find_event(emit)) ==
          "signal.emit          coro 3 \"worker\"  Signal#18  emit \"go\": woke 2");
    CHECK(cogen::viz::coro_ref(model, 4) == "'coro-4' (coro 4)");
}

TEST_CASE("Every event kind has a line", "[vizmodel][text]") {
    TraceBuilder t;
    for (int k = 0; k < cogen::event_kind_count; ++k) {
        t.event(static_cast<cogen::EventKind>(k), 1, 2, 1, 1, "x", "Op", 4);
    }
    const auto model = t.model();
    for (const auto& e : model.events()) {
        const std::string line = cogen::viz::describe_event(model, e);
        CHECK(line.rfind(std::string(cogen::to_string(e.kind)), 0) == 0);
        CHECK(line.find("unknown") == std::string::npos);
    }
}

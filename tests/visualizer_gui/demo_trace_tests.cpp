// End to end: a real program (cogen-viz-demo: an echo server and clients over loopback TCP,
// sleeps, a signal, a queue) records its trace with COGEN_TRACE, and cogen-viz draws each
// coroutine where the model puts it, the ones waiting for their sockets in the proactor.
#include <catch2/catch.hpp>

#include "cogen/trace/reader.hpp"
#include "gui_test_support.hpp"

using namespace cogen::viz;
using namespace cogen::viz::test;

TEST_CASE("a recorded socket program shows its fd waits in the proactor box",
          "[headless][display][demo]") {
    const std::string trace = (scratch_dir() / "demo.jsonl").string();
    const std::string cmd =
        "COGEN_TRACE=file:'" + trace + "' '" + std::string(COGEN_VIZ_DEMO_EXE) + "' > /dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const TraceModel model{cogen::trace::read_trace_file(trace)};
    REQUIRE(model.size() > 50);
    // The moment with the most coroutines parked in the proactor.
    std::uint64_t best = 0;
    std::size_t most = 0;
    ModelState state;
    for (const cogen::TraceEvent& e : model.events()) {
        model.seek(state, e.seq);
        std::size_t n = 0;
        for (const CoroutineState& c : state.coroutines) n += c.place.kind == PlaceKind::proactor;
        if (n > most) {
            most = n;
            best = e.seq;
        }
    }
    REQUIRE(most >= 1);
    const std::string png = (scratch_dir() / "demo.png").string();
    const VizRun r = run_viz(
        {"--headless", "--png", png, "--view", "diagram", "--at", std::to_string(best), trace});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto img = load_png(png);
    REQUIRE(img);
    CHECK(missing_tokens(*img, model, best).empty());
}

#include "cogen/trace/perfetto_export.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cogen/trace/perfetto_writer.hpp"
#include "support/perfetto_check.hpp"
#include "support/sample_trace.hpp"
#include "support/temp_dir.hpp"

using namespace cogen::trace;
using nlohmann::json;

namespace {

json exported(const TraceData& data) {
    std::ostringstream out;
    export_perfetto(data, out);
    return json::parse(out.str());
}

// The slice strictly enclosing `ts` on a track, deepest first ("" if none).
std::string enclosing(const json& events, int tid, double ts) {
    std::string best;
    double best_dur = 1e300;
    for (const auto& e : events) {
        if (e["ph"] != "X" || e["tid"] != tid) continue;
        const double start = e["ts"], dur = e["dur"];
        if (start < ts && ts < start + dur && dur < best_dur) {
            best = e["name"];
            best_dur = dur;
        }
    }
    return best;
}

std::vector<std::string> chain_names(const json& events, std::uint64_t op) {
    std::vector<std::pair<double, std::string>> members;
    for (const auto& e : events) {
        if (e.contains("bind_id") && e["bind_id"] == op) members.emplace_back(e["ts"], e["name"]);
    }
    std::sort(members.begin(), members.end());
    std::vector<std::string> names;
    for (auto& m : members) names.push_back(m.second);
    return names;
}

}  // namespace

TEST_CASE("export_perfetto writes trace-event JSON with integer ids and no displayTimeUnit",
          "[tracer][perfetto]") {
    const json doc = exported(test::sample_trace());
    CHECK_FALSE(doc.contains("displayTimeUnit"));
    const json& events = doc["traceEvents"];
    REQUIRE(events.is_array());
    std::set<std::string> phases;
    for (const auto& e : events) {
        phases.insert(e["ph"].get<std::string>());
        CHECK(e["pid"].is_number_integer());
        if (e.contains("tid")) CHECK(e["tid"].is_number_integer());
        if (e["ph"] == "X") {
            CHECK(e["dur"].is_number());
            CHECK(e["dur"].get<double>() >= 0);
        }
    }
    CHECK(phases == std::set<std::string>{"M", "X", "C", "i", "s", "f"});
}

TEST_CASE("Slices on each track nest, even after Perfetto rounds times to whole nanoseconds",
          "[tracer][perfetto]") {
    const json events = exported(test::sample_trace())["traceEvents"];
    for (const bool truncate : {false, true}) {
        const auto problems = test::perfetto_overlaps(events, truncate);
        INFO((problems.empty() ? std::string() : problems.front()));
        CHECK(problems.empty());
    }
}

TEST_CASE("Events that share one timestamp still give nesting slices", "[tracer][perfetto]") {
    TraceData same_time = test::sample_trace();
    for (auto& e : same_time.events) e.t_ns = 7;  // a manual clock that never moved
    const json events = exported(same_time)["traceEvents"];
    for (const bool truncate : {false, true})
        CHECK(test::perfetto_overlaps(events, truncate).empty());
}

TEST_CASE("Every flow event has a direction, a numeric id and a place on a slice",
          "[tracer][perfetto]") {
    const json events = exported(test::sample_trace())["traceEvents"];
    std::map<std::uint64_t, std::vector<const json*>> chains;
    std::map<std::uint64_t, std::multiset<std::string>> v1_flows;
    for (const auto& e : events) {
        if (e.contains("bind_id")) {
            CHECK(e["bind_id"].is_number_unsigned());
            CHECK((e.value("flow_in", false) || e.value("flow_out", false)));
            CHECK(e["ph"] == "X");
            chains[e["bind_id"]].push_back(&e);
        }
        if (e["ph"] == "s" || e["ph"] == "f") {
            REQUIRE(e["id"].is_number_unsigned());
            CHECK(e["cat"] == "cogen.cause");
            if (e["ph"] == "f") CHECK(e["bp"] == "e");
            CHECK_FALSE(enclosing(events, e["tid"], e["ts"]).empty());
            v1_flows[e["id"]].insert(e["ph"].get<std::string>());
        }
    }
    for (auto& [id, members] : chains) {
        std::sort(members.begin(), members.end(),
                  [](const json* a, const json* b) { return (*a)["ts"] < (*b)["ts"]; });
        REQUIRE(members.size() >= 2);
        CHECK(members.front()->value("flow_out", false));
        CHECK_FALSE(members.front()->value("flow_in", false));
        CHECK(members.back()->value("flow_in", false));
        CHECK_FALSE(members.back()->value("flow_out", false));
        for (std::size_t i = 1; i + 1 < members.size(); ++i) {
            CHECK(members[i]->value("flow_in", false));
            CHECK(members[i]->value("flow_out", false));
        }
    }
    for (const auto& [id, ends] : v1_flows) CHECK(ends == std::multiset<std::string>{"f", "s"});
    CHECK(chains.size() >= 5);
    CHECK(v1_flows.size() >= 4);
}

TEST_CASE("Each operation's steps form one arrow chain from yield to resume",
          "[tracer][perfetto]") {
    const json events = exported(test::sample_trace())["traceEvents"];
    CHECK(chain_names(events, 2) ==
          std::vector<std::string>{"yield Recv", "process Recv", "register read", "run Recv",
                                   "unregister", "ready (proactor)", "finalize Recv", "resume"});
    CHECK(chain_names(events, 1) == std::vector<std::string>{"yield Sleep", "process Sleep",
                                                             "fire Sleep", "ready (wait:timer)",
                                                             "finalize Sleep", "resume"});
    CHECK(chain_names(events, 6) == std::vector<std::string>{"yield Sleep", "process Sleep",
                                                             "timeout Sleep", "cleanup Sleep",
                                                             "resume"});
}

TEST_CASE(
    "Cause arrows run from the signal, the poll, the timer and the failed coroutine to what they "
    "woke",
    "[tracer][perfetto]") {
    const json events = exported(test::sample_trace())["traceEvents"];
    std::map<std::uint64_t, std::pair<const json*, const json*>> flows;
    for (const auto& e : events) {
        if (e["ph"] == "s") flows[e["id"]].first = &e;
        if (e["ph"] == "f") flows[e["id"]].second = &e;
    }
    std::set<std::pair<std::string, std::string>> arrows;
    for (const auto& [id, ends] : flows) {
        const json& s = *ends.first;
        const json& f = *ends.second;
        arrows.emplace(enclosing(events, s["tid"], s["ts"]), enclosing(events, f["tid"], f["ts"]));
    }
    CHECK(arrows.count({"ready: 1", "ready (proactor)"}));
    CHECK(arrows.count({"fire Sleep", "ready (wait:timer)"}));
    CHECK(arrows.count({"signal go", "ready (wait:signal)"}));
    CHECK(arrows.count({"fail", "ready (wait:join)"}));
}

TEST_CASE("Perfetto tracks are named after the scheduler, the proactor and each coroutine",
          "[tracer][perfetto]") {
    const json events = exported(test::sample_trace())["traceEvents"];
    std::map<int, std::string> names;
    for (const auto& e : events) {
        if (e["ph"] == "M" && e["name"] == "thread_name") names[e["tid"]] = e["args"]["name"];
    }
    CHECK(names[scheduler_tid] == "scheduler");
    CHECK(names[proactor_tid] == "proactor");
    CHECK(names[coroutine_tid_base + 2] == "coro 2 worker-1");
}

TEST_CASE("PerfettoWriter writes the export when the scheduler closes it", "[tracer][perfetto]") {
    test::TempDir dir;
    const TraceData sample = test::sample_trace();
    {
        PerfettoWriter writer{dir.file("run.json")};
        test::replay(sample, writer);
        writer.on_close();
    }
    std::ifstream in{dir.file("run.json")};
    const json doc = json::parse(in);
    std::size_t slices = 0;
    for (const auto& e : doc["traceEvents"]) slices += e["ph"] == "X" ? 1 : 0;
    CHECK(slices > 40);
}

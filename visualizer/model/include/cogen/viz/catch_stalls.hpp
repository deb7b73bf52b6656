// REQUIRE_NO_STALLS / CHECK_NO_STALLS: the stall check as a Catch2 assertion. Include
// Catch2 (v2's <catch2/catch.hpp> or v3's <catch2/catch_test_macros.hpp>) first.
//
//     cogen::Scheduler sched;
//     cogen::viz::StallWatch watch{sched};
//     sched.add(server(), {.name = "server"});
//     sched.run();
//     REQUIRE_NO_STALLS(watch);   // fails with the report of every finding
//
// docs/stalls.md, "A stall check at exit".
#pragma once
#include <string>

#include "cogen/viz/stall_watch.hpp"

namespace cogen::viz::detail {
/// The report the assertion shows: each finding's kind, coroutine and sentence.
inline std::string stall_assertion_text(const StallWatch& watch) {
    const std::string report = format_stall_report(watch.findings(), "", "");
    return report.empty() ? "no stall findings" : report;
}
}  // namespace cogen::viz::detail

/// Fails the test (REQUIRE: and stops it) when `watch` (a cogen::viz::StallWatch) has
/// stall findings, with the report as the message.
#define REQUIRE_NO_STALLS(watch)                                                          \
    do {                                                                                  \
        const std::string cogen_stall_report_ = ::cogen::viz::detail::stall_assertion_text( \
            watch);                                                                       \
        INFO(cogen_stall_report_);                                                        \
        REQUIRE(cogen_stall_report_ == "no stall findings");                              \
    } while (false)

/// As REQUIRE_NO_STALLS, but the test goes on.
#define CHECK_NO_STALLS(watch)                                                            \
    do {                                                                                  \
        const std::string cogen_stall_report_ = ::cogen::viz::detail::stall_assertion_text( \
            watch);                                                                       \
        INFO(cogen_stall_report_);                                                        \
        CHECK(cogen_stall_report_ == "no stall findings");                                \
    } while (false)

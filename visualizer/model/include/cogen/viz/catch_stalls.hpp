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

/// Fails the test (REQUIRE: and stops it) when `watch` (a cogen::viz::StallWatch) has
/// stall findings; the message is the report of every finding.
#define REQUIRE_NO_STALLS(watch) COGEN_STALL_ASSERTION_(REQUIRE, watch)
/// As REQUIRE_NO_STALLS, but the test goes on.
#define CHECK_NO_STALLS(watch) COGEN_STALL_ASSERTION_(CHECK, watch)

#define COGEN_STALL_ASSERTION_(assertion, watch)                                \
    do {                                                                        \
        const auto cogen_stall_findings_ = (watch).findings();                  \
        INFO(::cogen::viz::format_stall_report(cogen_stall_findings_, "", "")); \
        assertion(cogen_stall_findings_.size() == 0u);                          \
    } while (false)

// All proactors: run one test body on every backend (select, poll, epoll,
// io_uring), one TEST_CASE each, tagged with the backend's name so that
// `cogen_runtime_tests "[epoll]"` runs one backend.
//
// Catch2 v2 has no SKIP: where io_uring is unavailable the [uring] cases
// print a WARN with the reason ("SKIPPED: io_uring unavailable: ...") and
// return early, so they pass without asserting anything. CTest shows them
// as passed; the warning is in the test's output.
#pragma once
#include <catch2/catch.hpp>

#include <string>

#include "cogen/proactor/proactor.hpp"
#include "cogen/proactor/uring_proactor.hpp"
#include "cogen/scheduler.hpp"

namespace cogen::test {

/// "" when `kind` can be used here, else why not.
inline std::string proactor_unavailable(ProactorKind kind) {
    if (kind == ProactorKind::uring) return uring_unavailable_reason();
    return {};
}

/// Runs `body(kind)` unless the backend is unavailable, in which case it
/// warns "SKIPPED: ..." and returns (Catch2 v2's stand-in for a skip).
template <class Body>
void on_proactor(ProactorKind kind, Body body) {
    if (const std::string why = proactor_unavailable(kind); !why.empty()) {
        WARN("SKIPPED: " << to_string(kind) << " proactor unavailable: " << why);
        return;
    }
    body(kind);
}

/// Scheduler options for `kind`, with multiplex-first and a default priority.
inline Scheduler::Options options_for(ProactorKind kind, bool multiplex_first = true,
                                      Priority prio = Priority::LAST) {
    Scheduler::Options o;
    o.proactor = kind;
    o.proactor_multiplex_first = multiplex_first;
    o.default_priority = prio;
    return o;
}

}  // namespace cogen::test

/// Declares `void function(cogen::ProactorKind)` as four TEST_CASEs, one per
/// backend: "<name> (select)" tagged `tags` + "[select]", and so on.
#define COGEN_TEST_ALL_PROACTORS(function, name, tags)                   \
    TEST_CASE(name " (select)", tags "[select]") {                       \
        cogen::test::on_proactor(cogen::ProactorKind::select, function); \
    }                                                                    \
    TEST_CASE(name " (poll)", tags "[poll]") {                           \
        cogen::test::on_proactor(cogen::ProactorKind::poll, function);   \
    }                                                                    \
    TEST_CASE(name " (epoll)", tags "[epoll]") {                         \
        cogen::test::on_proactor(cogen::ProactorKind::epoll, function);  \
    }                                                                    \
    TEST_CASE(name " (uring)", tags "[uring]") {                         \
        cogen::test::on_proactor(cogen::ProactorKind::uring, function);  \
    }

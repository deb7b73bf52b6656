#include "cogen/proactor/uring_proactor.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "support/recording_instrument.hpp"

namespace {

// Sets an environment variable for its lifetime, restoring the old value.
class EnvVar {
  public:
    EnvVar(const char* name, const char* value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        ::setenv(name, value, 1);
    }
    ~EnvVar() {
        if (m_old) {
            ::setenv(m_name, m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }

  private:
    const char* m_name;
    std::optional<std::string> m_old;
};

}  // namespace

TEST_CASE("automatic picks io_uring where it works, else epoll with a note saying why",
          "[proactor][uring]") {
    ::unsetenv("COGEN_PROACTOR");
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler sched{{.instrument = &rec}};
    const std::string why = cogen::uring_unavailable_reason();
    if (why.empty()) {
        CHECK(cogen::SchedulerObserver{sched}.proactor().kind() == cogen::ProactorKind::uring);
        CHECK(rec.count(cogen::EventKind::sched_note) == 0);
    } else {
        WARN("io_uring unavailable here: " << why);
        CHECK(cogen::SchedulerObserver{sched}.proactor().kind() == cogen::ProactorKind::epoll);
        REQUIRE(rec.count(cogen::EventKind::sched_note) == 1);
    }
}

TEST_CASE("an explicit uring request fails with UnsupportedBackend where io_uring is missing",
          "[proactor][uring]") {
    const std::string why = cogen::uring_unavailable_reason();
    if (why.empty()) {
        cogen::Scheduler sched{{.proactor = cogen::ProactorKind::uring}};
        CHECK(cogen::SchedulerObserver{sched}.proactor().name() == "io_uring");
    } else {
        CHECK_THROWS_AS(cogen::Scheduler({.proactor = cogen::ProactorKind::uring}),
                        cogen::UnsupportedBackend);
    }
}

TEST_CASE("COGEN_PROACTOR overrides automatic, and only automatic", "[proactor]") {
    EnvVar env("COGEN_PROACTOR", "select");
    cogen::Scheduler automatic;
    CHECK(cogen::SchedulerObserver{automatic}.proactor().kind() == cogen::ProactorKind::select);
    cogen::Scheduler explicit_poll{{.proactor = cogen::ProactorKind::poll}};
    CHECK(cogen::SchedulerObserver{explicit_poll}.proactor().kind() == cogen::ProactorKind::poll);
}

TEST_CASE("COGEN_PROACTOR with an unknown name throws UnsupportedBackend", "[proactor][errors]") {
    EnvVar env("COGEN_PROACTOR", "kqueue");
    CHECK_THROWS_WITH(cogen::Scheduler{}, Catch::Contains("COGEN_PROACTOR=kqueue"));
}

TEST_CASE("backend kinds parse from their names", "[proactor]") {
    using cogen::ProactorKind;
    CHECK(cogen::proactor_kind_from_string("epoll") == ProactorKind::epoll);
    CHECK(cogen::proactor_kind_from_string("io_uring") == ProactorKind::uring);
    CHECK(cogen::proactor_kind_from_string("uring") == ProactorKind::uring);
    CHECK_FALSE(cogen::proactor_kind_from_string("iocp").has_value());
    CHECK(std::string(cogen::to_string(ProactorKind::select)) == "select");
}

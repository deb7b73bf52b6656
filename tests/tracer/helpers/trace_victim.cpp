// cogen_trace_victim: a child process for the tracer tests. It gets its instrument from
// COGEN_TRACE through the runtime's factory (as a Scheduler would), emits N synthetic events,
// then ends as argv[2] says: return, exit, throw, sigint, sigterm, or wait (for SIGUSR1).
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "cogen/instrument.hpp"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: cogen_trace_victim EVENTS return|exit|throw|sigint|sigterm|wait\n");
        return 2;
    }
    const long events = std::atol(argv[1]);
    const std::string how = argv[2];
    const auto factory = cogen::env_instrument_factory();
    if (factory == nullptr) return 3;
    // Owned like a Scheduler owns it; released (not destroyed) when the program must end
    // without destructors running.
    auto instrument = factory();
    if (!instrument) return 4;
    instrument->on_string(1, "worker");
    instrument->on_string(2, "Sleep");
    for (long i = 0; i < events; ++i) {
        cogen::TraceEvent e;
        e.seq = static_cast<std::uint64_t>(i + 1);
        e.t_ns = static_cast<std::uint64_t>(i) * 100;
        e.kind = i == 0 ? cogen::EventKind::coro_spawn : cogen::EventKind::sched_active;
        e.coro = i == 0 ? 1 : 0;
        e.text = i == 0 ? 1 : 0;
        e.a = i;
        instrument->on_event(e);
    }
    if (how == "exit") {
        instrument.release();
        std::exit(0);
    }
    if (how == "throw") {
        instrument.release();
        throw std::runtime_error("the victim gives up");
    }
    if (how == "sigint" || how == "sigterm") {
        instrument.release();
        std::raise(how == "sigint" ? SIGINT : SIGTERM);
        ::pause();
    }
    if (how == "wait") {
        std::printf("ready\n");
        std::fflush(stdout);
        // A handled signal cuts sleep() short: keep sleeping until the test kills us.
        for (int i = 0; i < 30; ++i) ::sleep(1);
    }
    instrument->on_close();
    return 0;
}

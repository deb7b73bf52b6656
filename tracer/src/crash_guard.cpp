// CrashGuard: signal, terminate and exit handlers that flush the registered sinks.
// NOTE: a signal handler may only do async-signal-safe work, so ours writes the signal number
// to a pipe; a helper thread reads it, flushes the sinks with ordinary code, then restores
// the default action and re-raises the signal so the program still dies of it.
#include "crash_guard.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace cogen::trace::detail {
namespace {

struct Registry {
    std::mutex mutex;
    std::vector<Flushable*> stages;  // FlushOrder::before_sinks
    std::vector<Flushable*> sinks;
};

// Leaked on purpose: sinks and handlers may run during static destruction.
Registry& registry() {
    static auto* r = new Registry;
    return *r;
}

int g_signal_pipe[2] = {-1, -1};
std::terminate_handler g_previous_terminate = nullptr;

void on_signal(int signo) {
    const int saved = errno;
    const auto byte = static_cast<unsigned char>(signo);
    [[maybe_unused]] const ssize_t n = ::write(g_signal_pipe[1], &byte, 1);
    errno = saved;
}

void signal_thread() {
    for (;;) {
        unsigned char signo = 0;
        const ssize_t n = ::read(g_signal_pipe[0], &signo, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        if (signo == SIGUSR1) {
            flush_all(FlushReason::request);
            continue;
        }
        flush_all(FlushReason::signal);
        std::signal(signo, SIG_DFL);
        std::raise(signo);
    }
}

void on_terminate() {
    flush_all(FlushReason::terminate);
    if (g_previous_terminate) g_previous_terminate();
    std::abort();
}

void on_exit() {
    flush_all(FlushReason::exit);
}

void install_if_default(int signo) {
    struct sigaction current {};
    if (::sigaction(signo, nullptr, &current) != 0) return;
    if ((current.sa_flags & SA_SIGINFO) != 0 || current.sa_handler != SIG_DFL) return;
    struct sigaction ours {};
    ours.sa_handler = &on_signal;
    sigemptyset(&ours.sa_mask);
    ours.sa_flags = SA_RESTART;
    ::sigaction(signo, &ours, nullptr);
}

void install_handlers() {
    if (::pipe2(g_signal_pipe, O_CLOEXEC) != 0) return;
    std::thread{signal_thread}.detach();
    install_if_default(SIGINT);
    install_if_default(SIGTERM);
    install_if_default(SIGUSR1);
    g_previous_terminate = std::set_terminate(&on_terminate);
    std::atexit(&on_exit);
}

}  // namespace

void register_flushable(Flushable* sink, FlushOrder order) {
    static std::once_flag once;
    std::call_once(once, install_handlers);
    Registry& r = registry();
    std::lock_guard lock{r.mutex};
    (order == FlushOrder::before_sinks ? r.stages : r.sinks).push_back(sink);
}

void unregister_flushable(Flushable* sink) {
    Registry& r = registry();
    std::lock_guard lock{r.mutex};
    std::erase(r.stages, sink);
    std::erase(r.sinks, sink);
}

void flush_all(FlushReason reason) {
    Registry& r = registry();
    std::lock_guard lock{r.mutex};
    for (Flushable* stage : r.stages) stage->flush_for(reason);
    for (Flushable* sink : r.sinks) sink->flush_for(reason);
}

}  // namespace cogen::trace::detail

// The terminal "be the scheduler" loop (tutorial/chapter.hpp, --pick): at every choice the
// scheduler would make, list its ready pairs and run the one the learner names.
#include <unistd.h>

#include <cctype>
#include <string>
#include <unordered_set>

#include "cogen/coro.hpp"
#include "cogen/operation.hpp"
#include "cogen/scheduler_observer.hpp"
#include "tutorial/chapter.hpp"

namespace cogen::tutorial {
namespace {

// `had_turn`: the coroutines already picked once. A new coroutine's first pick, while others
// are runnable, is cogen's start round: it goes to the back of the queue without running.
std::string describe(const ReadyPair& pair, const std::unordered_set<std::uint64_t>& had_turn) {
    std::string who = pair.coro && !pair.coro->name().empty()
                          ? "'" + pair.coro->name() + "'"
                          : "coro " + std::to_string(pair.coro ? pair.coro->id() : 0);
    std::string what;
    if (pair.op) {
        what = who + " resumes from " + std::string(pair.op->name());
    } else if (pair.coro && !had_turn.contains(pair.coro->id())) {
        what = who + " is new: its first turn only queues it at the back (start round)";
    } else {
        what = who + " starts";
    }
    if (pair.urgent) what += " (urgent: the last I/O completion)";
    return what;
}

// One line of input, without its newline; false at end of input.
bool read_line(std::FILE* in, std::string& line) {
    line.clear();
    int c = 0;
    while ((c = std::fgetc(in)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
    return c != EOF || !line.empty();
}

bool parse_index(const std::string& text, std::size_t& index) {
    std::size_t b = 0, e = text.size();
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    if (b == e) return false;
    index = 0;
    for (std::size_t i = b; i < e; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
        index = index * 10 + static_cast<std::size_t>(text[i] - '0');
        if (index > 1'000'000) return false;
    }
    return true;
}

}  // namespace

std::size_t pick_loop(Scheduler& sched, std::FILE* in, std::FILE* out) {
    // Typed input is already on the screen; piped input (a test, pick-input.txt) is echoed so
    // the transcript reads like a session.
    const bool echo = !isatty(fileno(in));
    bool eof = false;
    std::size_t picks = 0, round = 0;
    std::unordered_set<std::uint64_t> had_turn;
    SchedulerObserver observer{sched};  // a tool's view: the ready pairs, a chosen step
    auto taken = [&](const ReadyPair& pair) {
        if (pair.coro && !pair.op) had_turn.insert(pair.coro->id());
    };
    for (;;) {
        if (!SchedulerObserver{sched}.at_pick()) {
            if (!sched.step()) break;
            continue;
        }
        const std::vector<ReadyPair> pairs = SchedulerObserver{sched}.ready_pairs();
        if (eof || pairs.size() < 2) {  // no choice to make, or the scheduler makes it
            if (!pairs.empty()) taken(pairs.front());
            if (!sched.step()) break;
            continue;
        }
        ++round;
        std::fprintf(out, "pick %zu: who runs next?\n", round);
        for (std::size_t i = 0; i < pairs.size(); ++i)
            std::fprintf(out, "  %zu: %s\n", i, describe(pairs[i], had_turn).c_str());
        std::size_t index = 0;
        for (;;) {
            std::fprintf(out, "> ");
            std::fflush(out);
            std::string line;
            if (!read_line(in, line)) {
                std::fprintf(out, "(end of input: the scheduler chooses from now on)\n");
                eof = true;
                break;
            }
            if (echo) std::fprintf(out, "%s\n", line.c_str());
            if (!parse_index(line, index)) {
                std::fprintf(out, "  '%s' is not a number: type one of 0-%zu\n", line.c_str(),
                             pairs.size() - 1);
            } else if (index >= pairs.size()) {
                std::fprintf(out, "  %zu is not on the list: type one of 0-%zu\n", index,
                             pairs.size() - 1);
            } else {
                break;
            }
        }
        if (eof) {
            taken(pairs.front());
            if (!sched.step()) break;
            continue;
        }
        taken(pairs[index]);
        ++picks;
        std::fflush(out);
        if (!SchedulerObserver{sched}.step_pick(index)) break;
    }
    std::fflush(out);
    return picks;
}

}  // namespace cogen::tutorial

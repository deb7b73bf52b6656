// cogen-trace why FILE: the inspector of cogen-viz, as text. For a coroutine, where it is at a
// chosen moment, what it awaits, who could wake it, the stall findings that name it, and why
// it last resumed; for a resume, the chain of events that woke it. Uses the visualizer model
// (cogen::vizmodel: wait_graph.hpp, wake_chain.hpp, stall_detector.hpp).
#include <algorithm>
#include <charconv>
#include <chrono>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "cogen/viz/event_text.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "cogen/viz/trace_model.hpp"
#include "cogen/viz/wait_graph.hpp"
#include "cogen/viz/wake_chain.hpp"

namespace cogen::trace::cli {
namespace {

struct WhyArgs {
    InputOptions input;
    std::string path;
    std::string coro;  // an id or a name
    std::uint64_t seq = 0;
    std::uint64_t at = 0;
    std::size_t hops = 3;
    double untimed_wait_ms = 1000;
};

std::optional<std::uint64_t> parse_id(const std::string& text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

// The coroutine named by --coro: its id, or the first coroutine of that name (others named
// alike are listed on stderr).
std::uint64_t resolve_coro(const viz::TraceModel& model, const std::string& wanted) {
    if (const auto id = parse_id(wanted)) {
        if (model.latest().find(*id) == nullptr)
            throw std::invalid_argument("the trace has no coroutine " + wanted);
        return *id;
    }
    std::vector<std::uint64_t> named;
    for (const viz::CoroutineState& c : model.latest().coroutines)
        if (model.coro_name(c.id) == wanted) named.push_back(c.id);
    if (named.empty())
        throw std::invalid_argument("the trace has no coroutine named '" + wanted + "'");
    if (named.size() > 1) {
        std::cerr << "cogen-trace why: " << named.size() << " coroutines are named '" << wanted
                  << "' (ids";
        for (std::uint64_t id : named) std::cerr << ' ' << id;
        std::cerr << "); showing coro " << named.front() << ", pass an id for another\n";
    }
    return named.front();
}

// Where "the end" is: the last sched.run.end (before the scheduler's destructor kills what
// was left, as `stalls` judges), else the last event.
std::uint64_t end_of_run(const viz::TraceModel& model) {
    const auto events = model.events();
    for (auto it = events.rbegin(); it != events.rend(); ++it)
        if (it->kind == EventKind::sched_run_end) return it->seq;
    return model.last_seq();
}

std::uint64_t last_resume(const viz::TraceModel& model, std::uint64_t coro, std::uint64_t at) {
    const auto events = model.events();
    for (std::size_t i = model.count_upto(at); i-- > 0;) {
        if (events[i].kind == EventKind::coro_resume && events[i].coro == coro)
            return events[i].seq;
    }
    return 0;
}

void print_chain(const std::vector<viz::WakeStep>& chain) {
    for (const viz::WakeStep& step : chain) {
        std::string cause{viz::to_string(step.cause)};
        cause.resize(std::max<std::size_t>(cause.size(), 18), ' ');
        std::cout << "  ";
        if (step.seq != 0) {
            std::string seq = "#" + std::to_string(step.seq);
            seq.resize(std::max<std::size_t>(seq.size(), 7), ' ');
            std::cout << seq;
        } else {
            std::cout << "?      ";
        }
        std::cout << cause << step.text << "\n";
    }
}

void who_can_wake(const viz::TraceModel& model, const viz::WaitForGraph& graph,
                  const viz::CoroutineState& c) {
    const viz::WaitNode* node = graph.find(c.id);
    if (node == nullptr) return;
    std::cout << "  woken by  ";
    if (node->external) {
        std::cout << (c.place.kind == viz::PlaceKind::timer
                          ? "the clock (its deadline)"
                          : "the OS (its fd becoming ready), or its timeout")
                  << "\n";
        return;
    }
    const auto wakers = graph.wakers(*node);
    if (wakers.empty()) {
        std::cout << "no live coroutine can wake it"
                  << (c.place.timeout_ns > 0 ? " (its timeout will end the wait)" : "") << "\n";
        return;
    }
    for (std::size_t i = 0; i < wakers.size(); ++i)
        std::cout << (i ? ", " : "") << viz::coro_ref(model, wakers[i]);
    std::cout << "\n";
}

// Where it stands in the active queue, and who runs before it.
void print_queue_position(const viz::TraceModel& model, const viz::ModelState& state,
                          std::uint64_t id) {
    const std::vector<std::uint64_t> queue = state.active_queue();
    const auto at = std::find(queue.begin(), queue.end(), id);
    if (at == queue.end()) return;
    const auto position = static_cast<std::size_t>(at - queue.begin());
    std::cout << "  queue     " << position + 1 << " of " << queue.size() << " in the active queue";
    if (position == 0) {
        std::cout << ": it runs next\n";
        return;
    }
    std::cout << ", after";
    constexpr std::size_t shown = 3;
    for (std::size_t i = 0; i < position && i < shown; ++i)
        std::cout << (i == 0 ? " " : ", ") << viz::coro_ref(model, queue[i]);
    if (position > shown) std::cout << " and " << position - shown << " more";
    std::cout << "\n";
}

int explain_coroutine(const viz::TraceModel& model, const WhyArgs& args) {
    const std::uint64_t id = resolve_coro(model, args.coro);
    const std::uint64_t end = end_of_run(model);
    const std::uint64_t at = args.at != 0 ? args.at : end;
    const viz::ModelState state = model.state_at(at);
    const viz::CoroutineState* c = state.find(id);
    if (c == nullptr)
        throw std::invalid_argument("coroutine " + std::to_string(id) + " does not exist yet at #" +
                                    std::to_string(at));
    std::cout << viz::coro_ref(model, id) << " at #" << at
              << (at == end && args.at == 0 ? " (the end of the run)" : "") << "\n";
    std::cout << "  place     " << viz::to_string(c->place.kind) << " - "
              << viz::describe(c->place.kind) << "\n";
    const std::string op = viz::op_text(model, c->op, c->op_type);
    if (!op.empty()) std::cout << (c->alive() ? "  awaits    " : "  last op   ") << op << "\n";
    const std::string target = viz::wait_target(model, c->place);
    if (!target.empty()) std::cout << "  waits on  " << target << "\n";
    if (c->place.kind == viz::PlaceKind::active) print_queue_position(model, state, id);
    const std::uint64_t now = std::max(state.t_ns, at == end ? model.now_ns() : state.t_ns);
    std::cout << "  since     #" << c->since_seq << ", "
              << viz::format_duration(now > c->since_t_ns ? now - c->since_t_ns : 0) << "\n";
    if (c->parent != 0) std::cout << "  spawned   by " << viz::coro_ref(model, c->parent) << "\n";
    if (c->error != 0) std::cout << "  error     " << model.text(c->error) << "\n";
    who_can_wake(model, viz::WaitForGraph::build(state), *c);

    viz::StallOptions options;
    options.untimed_wait = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double, std::milli>(args.untimed_wait_ms));
    bool named = false;
    for (const viz::Finding& f : viz::find_stalls(model, state, now, options)) {
        if (f.coro != id && std::find(f.cycle.begin(), f.cycle.end(), id) == f.cycle.end())
            continue;
        std::cout << "  stall     " << viz::to_string(f.kind) << ": " << f.explanation << "\n";
        named = true;
    }
    const std::uint64_t resume = last_resume(model, id, at);
    if (resume == 0) {
        std::cout << "it has not resumed yet\n";
    } else {
        std::cout << "why it last resumed (#" << resume << "):\n";
        print_chain(viz::why_woken(model, resume, args.hops));
    }
    return named ? exit_findings : exit_ok;
}

int explain_resume(const viz::TraceModel& model, const WhyArgs& args) {
    if (!model.find_event(args.seq))
        throw std::invalid_argument("the trace has no event #" + std::to_string(args.seq));
    const auto chain = viz::why_woken(model, args.seq, args.hops);
    if (chain.empty())
        throw std::invalid_argument("event #" + std::to_string(args.seq) +
                                    " is not a coro.resume (nor the op.ready or op.finalize "
                                    "of one); `cogen-trace text` shows which events are");
    std::cout << "why " << viz::coro_ref(model, chain.front().coro) << " resumed at #"
              << chain.front().seq << ":\n";
    print_chain(chain);
    return exit_ok;
}

}  // namespace

void add_why_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "why",
        "Explain a coroutine (where it is, what it awaits, who could wake it, the stalls that "
        "name it, why it last resumed) or one resume (the chain of events that woke it); exit 1 "
        "when a stall names the coroutine");
    auto args = std::make_shared<WhyArgs>();
    auto* coro = command->add_option("--coro", args->coro, "The coroutine: its id or its name");
    auto* seq =
        command->add_option("--seq", args->seq, "A coro.resume (or its op.ready / op.finalize)");
    coro->excludes(seq);
    command
        ->add_option("--at", args->at,
                     "With --coro: the moment to look at (default: the end of the run)")
        ->needs(coro);
    command->add_option("--hops", args->hops, "Coroutines to follow back along a wake chain")
        ->capture_default_str();
    command
        ->add_option("--untimed-wait-ms", args->untimed_wait_ms,
                     "With --coro: report waits without a timeout longer than this")
        ->capture_default_str();
    add_trace_source(*command, args->path, args->input);
    command->callback([args, coro, seq, &exit_code] {
        if (coro->count() == 0 && seq->count() == 0)
            throw std::invalid_argument(
                "why: say which coroutine (--coro ID|NAME) "
                "or which resume (--seq SEQ)");
        const TraceData data = load_trace(args->path, args->input);
        const viz::TraceModel model{data};
        exit_code =
            coro->count() != 0 ? explain_coroutine(model, *args) : explain_resume(model, *args);
    });
}

}  // namespace cogen::trace::cli

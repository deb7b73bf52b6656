// The chapter harness's drivers (tutorial/chapter.hpp): one function per mode, each running
// the chapter's scenes on fresh schedulers and ManualClocks.
#include "tutorial/chapter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cogen/trace/tee.hpp"
#include "viz_driver.hpp"

namespace cogen::tutorial {
namespace {

// Sends stdout to /dev/null for its lifetime: --check and --png print only their own lines,
// while the scenes' printf calls go nowhere.
class Silence {
  public:
    Silence() {
        std::fflush(stdout);
        m_saved = ::dup(STDOUT_FILENO);
        const int null = ::open("/dev/null", O_WRONLY);
        if (null >= 0) {
            ::dup2(null, STDOUT_FILENO);
            ::close(null);
        }
    }
    ~Silence() {
        std::fflush(stdout);
        if (m_saved >= 0) {
            ::dup2(m_saved, STDOUT_FILENO);
            ::close(m_saved);
        }
    }
    Silence(const Silence&) = delete;
    Silence& operator=(const Silence&) = delete;

  private:
    int m_saved = -1;
};

// How a scene's scheduler is driven once its coroutines are added.
using Drive = std::function<void(Scheduler&, SceneTrace&)>;

void run_to_end(Scheduler& sched, SceneTrace&) {
    sched.run();
}

// Whether a scene's scheduler also feeds what COGEN_TRACE asks for. A rehearsal (--png
// counting the steps to the moment) is not the chapter's run, so it is not traced.
enum class Traced : bool { no, yes };

// One scene: title, a fresh clock and scheduler (instrument: `instrument`, or the trace's
// recorder, plus the COGEN_TRACE sink when one is asked for), setup, the driver, then `after`.
void play(const Scene& scene, SceneTrace& trace, const Drive& drive,
          Instrument* instrument = nullptr, Traced traced = Traced::yes) {
    if (!scene.title.empty()) std::printf("--- %s ---\n", scene.title.c_str());
    ManualClock clock;
    // The harness records every scene for itself (answers, key moments), so its scheduler
    // never asks the environment for an instrument: the tee gives COGEN_TRACE its copy.
    std::unique_ptr<Instrument> env;
    if (traced == Traced::yes)
        if (const EnvInstrumentFactory factory = env_instrument_factory()) env = factory();
    Instrument* mine = instrument ? instrument : &trace.instrument();
    trace::Tee tee{mine, env.get()};
    SchedulerOptions options = scene.options;
    options.clock = &clock;
    options.instrument = env ? &tee : mine;
    Scheduler sched{options};
    Stage stage{sched, clock};
    if (scene.setup) scene.setup(stage);
    drive(sched, trace);
    if (scene.after) scene.after(stage);
    std::fflush(stdout);
}

// Steps `sched` until the trace holds an event matching the moment; returns the number of
// steps made, or nullopt when the scheduler went idle first.
std::optional<std::uint64_t> step_to_moment(Scheduler& sched, const SceneTrace& trace,
                                            const KeyMoment& moment) {
    std::uint64_t steps = 0;
    if (!moment.when) {
        while (steps < moment.after_steps && sched.step()) ++steps;
        return steps == moment.after_steps ? std::optional(steps) : std::nullopt;
    }
    std::size_t seen = 0;
    for (;;) {
        const std::vector<Event> events = trace.events();
        for (; seen < events.size(); ++seen)
            if (moment.when(events[seen])) return steps;
        if (!sched.step()) return std::nullopt;
        ++steps;
    }
}

std::string window_title(const Chapter& ch) {
    return program_name(ch.number) + ": " + ch.title +
           (ch.moment.name.empty() ? "" : " (" + ch.moment.name + ")");
}

int run_story(const Chapter& ch) {
    for (const Scene& scene : ch.scenes) {
        SceneTrace trace;
        play(scene, trace, run_to_end);
    }
    return 0;
}

int run_check(const Chapter& ch) {
    std::vector<std::unique_ptr<SceneTrace>> traces;
    {
        Silence quiet;
        for (const Scene& scene : ch.scenes) {
            traces.push_back(std::make_unique<SceneTrace>());
            play(scene, *traces.back(), run_to_end);
        }
    }
    Run run;
    for (const auto& t : traces) run.scenes.push_back(t.get());
    if (ch.check) ch.check(run);
    std::fflush(stdout);
    return 0;
}

int run_pick(const Chapter& ch) {
    const std::size_t which = ch.pick_scene.value_or(ch.moment.scene);
    for (std::size_t i = 0; i < ch.pick_runs; ++i) {
        if (ch.pick_runs > 1) std::printf("=== play %zu of %zu ===\n", i + 1, ch.pick_runs);
        SceneTrace trace;
        play(ch.scenes.at(which), trace,
             [](Scheduler& sched, SceneTrace&) { pick_loop(sched, stdin, stdout); });
    }
    return 0;
}

void moment_missed(const Chapter& ch) {
    std::fprintf(stderr, "%s: the key moment (%s) did not happen; showing the end\n",
                 program_name(ch.number).c_str(), ch.moment.name.c_str());
}

int run_watch(const Chapter& ch) {
    for (std::size_t i = 0; i < ch.scenes.size(); ++i) {
        SceneTrace trace;
        if (i != ch.moment.scene) {
            play(ch.scenes[i], trace, run_to_end);
            continue;
        }
        // The visualizer reads a Capture that also feeds the trace the moment is found in;
        // it is there from the start, so the window shows the whole history.
        const auto capture = detail::make_capture(&trace.instrument());
        play(
            ch.scenes[i], trace,
            [&](Scheduler& sched, SceneTrace& t) {
                if (!step_to_moment(sched, t, ch.moment)) moment_missed(ch);
                std::fflush(stdout);
                detail::watch(sched, window_title(ch));
                sched.run();  // the window may close early: the story always ends
            },
            capture.get());
    }
    return 0;
}

int run_png(const Chapter& ch, const std::string& file) {
    // A rehearsal finds how many steps lead to the moment (the clock is virtual, so the real
    // run takes the same steps); the real run makes all but the last itself and lets the
    // visualizer make that one, so the window is open and drawing when the moment happens.
    std::optional<std::uint64_t> steps;
    {
        Silence quiet;
        SceneTrace trace;
        play(
            ch.scenes.at(ch.moment.scene), trace,
            [&](Scheduler& sched, SceneTrace& t) { steps = step_to_moment(sched, t, ch.moment); },
            nullptr, Traced::no);
    }
    if (!steps) moment_missed(ch);
    std::error_code ec;
    std::filesystem::remove(file, ec);
    int status = 0;
    {
        Silence quiet;
        SceneTrace trace;
        const auto capture = detail::make_capture(&trace.instrument());
        play(
            ch.scenes[ch.moment.scene], trace,
            [&](Scheduler& sched, SceneTrace&) {
                std::uint64_t before = 0;
                if (steps && *steps > 1) {
                    for (; before + 1 < *steps && sched.step();) ++before;
                }
                // No moment: draw the end (a large step count stops at idle).
                const std::uint64_t rest = steps ? *steps - before : UINT64_C(1) << 40;
                status = detail::render(sched, rest, file, ch.view, window_title(ch));
            },
            capture.get());
    }
    if (status == 0 && !std::filesystem::exists(file)) {
        std::fprintf(stderr, "%s: no picture written (no display? try xvfb-run -a)\n",
                     program_name(ch.number).c_str());
        return 2;
    }
    return status;
}

}  // namespace

std::uint64_t seed(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string_view(argv[i]) == "--seed") return std::strtoull(argv[i + 1], nullptr, 10);
    return 0;
}

int run(const Chapter& ch, int argc, char** argv) {
    const auto mode = parse_mode(ch.number, argc, argv, ch.accepts_seed);
    if (!mode) return 2;
    switch (mode->kind) {
        case Mode::Kind::help:
            std::fputs(usage(ch.number, ch.title, ch.accepts_seed).c_str(), stdout);
            return 0;
        case Mode::Kind::run:
            return run_story(ch);
        case Mode::Kind::check:
            return run_check(ch);
        case Mode::Kind::pick:
            return run_pick(ch);
        case Mode::Kind::watch:
            return run_watch(ch);
        case Mode::Kind::png:
            return run_png(ch, mode->png_file);
    }
    return 0;
}

}  // namespace cogen::tutorial

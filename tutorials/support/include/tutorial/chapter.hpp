// The chapter harness: a chapter's main.cpp declares its scenes (the programs it runs), its
// key moment, the view that shows it, and the answers to its Predict exercises; the harness
// reads the mode from the command line and runs the scenes under the right driver:
//
//     tutorial-NN            the story (expected.txt)
//     tutorial-NN --check    the answers (check.txt)
//     tutorial-NN --watch    the visualizer, paused at the key moment
//     tutorial-NN --png F    the key moment rendered headless to F
//     tutorial-NN --pick     be the scheduler on the terminal (pick-input.txt → pick-expected.txt)
//
// Every scene runs on its own ManualClock, so times, answers and pictures are the same on
// every run. Conventions and a worked example: tutorials/AUTHORING.md (chapter 07 is the pilot).
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cogen/clock.hpp"
#include "cogen/instrument.hpp"
#include "cogen/scheduler.hpp"
#include "cogen/trace/recorder.hpp"
#include "tutorial/mode.hpp"

namespace cogen::tutorial {

/// What a scene's setup gets: its scheduler and the virtual clock it runs on.
struct Stage {
    cogen::Scheduler& sched;
    cogen::ManualClock& clock;
    /// Scheduler time in whole milliseconds since the scene started, for printouts.
    long long now_ms() const;
};

/// One program of the chapter, on a fresh scheduler and a fresh clock at t = 0.
struct Scene {
    std::string title{};  ///< printed as "--- title ---" before it runs ("": nothing)
    std::function<void(Stage&)> setup{};  ///< adds the coroutines (sched.add), prints the intro
    std::function<void(Stage&)> after{};  ///< optional: runs once the scheduler is idle
    /// Proactor, error_sink...; `clock` and `instrument` are the harness's (left null here).
    cogen::SchedulerOptions options{};
};

/// One recorded event with its strings resolved, as key-moment predicates and answers see it.
struct Event {
    const cogen::TraceEvent& raw;
    std::string_view coro;     ///< the coroutine's name ("" if unnamed or none)
    std::string_view op_type;  ///< the op's type name ("Sleep"...; "" if none)
    std::string_view text;     ///< the event's text (signal name, wait label, error...)
    bool is(cogen::EventKind kind) const noexcept { return raw.kind == kind; }
};
using EventMatch = std::function<bool(const Event&)>;

/// The trace of one scene: every event the scheduler reported, with its strings.
class SceneTrace {
  public:
    const cogen::trace::TraceData& data() const noexcept { return m_recorder.data(); }
    /// The events one by one, strings resolved (the Event refers into this trace).
    std::vector<Event> events() const;
    std::vector<Event> find(const EventMatch& match) const;
    std::size_t count(const EventMatch& match) const;
    /// The lines `cogen-trace` prints for the matching events, in order.
    std::vector<std::string> lines(const EventMatch& match) const;
    /// The coroutine's name as the trace knows it ("" when unknown).
    std::string_view coro_name(std::uint64_t coro) const;

    cogen::Instrument& instrument() noexcept { return m_recorder; }

  private:
    cogen::trace::Recorder m_recorder;
};

/// What --check's answers are computed from: the trace of every scene, in order.
struct Run {
    std::vector<const SceneTrace*> scenes;
    const SceneTrace& trace(std::size_t scene = 0) const { return *scenes.at(scene); }
};

/// The moment the chapter is about. --watch opens the visualizer paused right after the step
/// that produced the first event matching `when` (in scene `scene`); --png draws that frame.
/// When `when` is empty, the moment is after `after_steps` steps of the scene.
struct KeyMoment {
    std::string name{};  ///< a phrase, as the README names it: "the signal nobody hears"
    std::size_t scene = 0;
    EventMatch when{};
    std::uint64_t after_steps = 0;
};

/// Ready-made matchers for key moments and answers.
namespace match {
/// op.process of an op of this type by this coroutine ("" = any), optionally with this outcome
/// ("parks on a Sleep": op_process("worker", "Sleep", Outcome::timer)).
EventMatch op_process(std::string coro, std::string op_type);
EventMatch op_process(std::string coro, std::string op_type, cogen::Outcome outcome);
/// A Signal emitted on `name` that woke nobody and did not park: it is lost.
EventMatch signal_lost(std::string name);
/// Any event of this kind, by this coroutine ("" = any).
EventMatch kind(cogen::EventKind kind, std::string coro = "");
}  // namespace match

/// The whole chapter. Only number, title and scenes are required.
struct Chapter {
    int number = 0;
    std::string title{};
    std::vector<Scene> scenes{};
    KeyMoment moment{};
    /// The visualizer view for --png (a view name of `cogen-viz --view`: diagram, table,
    /// timeline, proactor, log, stalls, waitgraph, wake, all).
    std::string view = "diagram";
    /// --check: prints the answers, from the traces (and any counters the scenes kept).
    std::function<void(const Run&)> check{};
    /// --pick drives this scene by hand (the moment's scene unless set); only it runs.
    std::optional<std::size_t> pick_scene{};
    /// --pick plays that scene this many times from scratch ("find an order that shows the
    /// bug, then one that hides it"); the choices of every play come from the same input.
    std::size_t pick_runs = 1;
    bool accepts_seed = false;  ///< --seed N (chapter 16); see seed()
};

/// main(): `return cogen::tutorial::run(chapter, argc, argv);` Exit status: 0, or 2 for a
/// bad argument (one line on stderr) or a picture that could not be written.
int run(const Chapter& chapter, int argc, char** argv);

/// The --seed given on the command line (0 without one). Read it while building the Chapter:
/// `Chapter ch = mystery(cogen::tutorial::seed(argc, argv));`
std::uint64_t seed(int argc, char** argv);

/// The --pick loop on its own, for tests and chapters with their own main: runs `sched` to the
/// end, listing the ready pairs at every choice on `out` and reading one number per line from
/// `in` (end of input: the scheduler chooses from then on). Returns the number of picks read.
std::size_t pick_loop(cogen::Scheduler& sched, std::FILE* in, std::FILE* out);

}  // namespace cogen::tutorial

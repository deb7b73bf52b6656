// Help texts of the panels (see help.hpp). Each one says what the panel shows in the terms
// of the loop diagram, how to use it, and which tutorial chapter teaches it.
#include "help.hpp"

#include <imgui.h>

#include <array>
#include <string>

namespace cogen::viz {
namespace {

struct Help {
    std::string_view text;
    std::string_view chapter;
};

constexpr std::array<Help, 14> helps = {{
    {"The loop of cogen. A coroutine co_awaits an operation and the scheduler calls "
     "op.process(). If the op can finish now it is ready and goes to the active queue; "
     "otherwise it parks: in the proactor (waiting for an fd) or in another queue (timers, "
     "signals, joins, queues). When some event decides the op is ready (the poll reports the "
     "fd and op.run() moves the bytes, a timer fires, a signal is emitted, a joined coroutine "
     "ends), the pair goes back to the active queue, and the scheduler resumes the coroutine "
     "with op.finalize(): its value is the value of co_await.\n\nEach circle is a coroutine, "
     "coloured by where it is. Click a circle or a box to see who is there and since when.",
     "03-the-operation-protocol"},
    {"Every coroutine the trace has seen: where it is now, the op it awaits and what that op "
     "waits on (fd, signal, queue, joined coroutine), how long it has been in its current "
     "place, and how many times it suspended.\n\nClick a header to sort, type in the filter "
     "to narrow, click a row to select the coroutine everywhere.",
     "14-reading-a-trace"},
    {"One lane per coroutine, time to the right, coloured by place: green running, amber in "
     "the active queue, the waits in the colours of their diagram boxes. The white line is "
     "the cursor.\n\nWheel: zoom around the mouse. Drag: pan. Double-click: fit the whole "
     "trace. Hover a bar to see who woke it (signal sender, finished joinee, queue producer) "
     "and who spawned it, drawn as arrows between lanes.",
     "14-reading-a-trace"},
    {"The proactor parks operations that wait for a file descriptor to become readable or "
     "writable. Each poll asks the OS (select, poll, epoll or io_uring) which registered fds "
     "are ready, blocking at most the timeout the scheduler computed from the nearest timer; "
     "'ready' is how many came back. A ready op runs op.run() once per readiness, and "
     "completes when it moved its bytes.",
     "10-select-poll-epoll-uring"},
    {"Every op with a deadline waits on the timer heap: each Sleep, and any op given a "
     "timeout. The heap keeps the earliest deadline on top so the scheduler knows how long "
     "the proactor may block. When a deadline passes, a Sleep resumes normally; any other op "
     "times out: op.timeout, then cleanup(), and OperationTimeout is thrown at its co_await.",
     "05-time-and-the-timer-heap"},
    {"Every transition of the scheduler is one event, numbered by seq. Filter by coroutine "
     "id, event kind or op type; click a row to move the cursor there: every view then shows "
     "the state right after that event. Click a coro.resume to see why it was woken.",
     "14-reading-a-trace"},
    {"A stalled coroutine emits no events, so the detector reasons about what is missing: a "
     "wait with no timeout that goes on (untimed-wait), a signal nobody alive can emit "
     "(orphan-signal), a cycle of joins or queues (deadlock), a coroutine that ran too long "
     "between two suspensions (cpu-hog), an fd that never became ready (fd-never-ready), a "
     "failure nobody joined (unjoined-failure), a coroutine kept runnable while others ran "
     "(starved), timeouts in a row on a wait nobody can end (retry-loop), a queue that keeps "
     "growing (backlog), an fd wait that moved bytes and then none (stalled-io).\n\nClick a "
     "finding to select its coroutine "
     "and move the cursor to where the problem began.",
     "16-hunting-a-stall"},
    {"Who waits on whom. Each waiting coroutine points to what it waits on (a joined "
     "coroutine, a signal, a queue) and from there to the coroutines that could end the wait: "
     "the joined coroutine, the coroutines that emitted that signal before, the ones that put "
     "into that queue (for a get) or took from it (for a put on a full queue). Proactor and timer "
     "waits are ended by the OS or the clock. A cycle of waits "
     "without timeout, where everyone waits for someone in the cycle, is a deadlock: drawn in "
     "red.",
     "16-hunting-a-stall"},
    {"Why was this coroutine resumed? Read the chain top-down: the resume, the op.ready that "
     "made its op ready, and the cause: a poll that reported the fd, a timer that fired, a "
     "signal someone emitted, a joined coroutine that finished, a queue producer. When the "
     "cause is another coroutine, the chain goes on with why that one was running. Click a "
     "step to move the cursor there.",
     "14-reading-a-trace"},
    {"Who is in the box you clicked (or where the selected coroutine is), since which event "
     "and for how long, with the op it awaits and what that op waits on.",
     "14-reading-a-trace"},
    {"Replay a recorded trace. Drag the slider to any event; play moves the cursor forward at "
     "the chosen speed (events per second, or a multiple of the recorded time); 'next stall' "
     "jumps to where the next stall finding of the trace began. While a big file is still "
     "being indexed (the progress bar), everything works on the part indexed so far, and a "
     "cursor put on its end follows it.\n\nKeys: Space play/pause, "
     "Left/Right one event, Home/End, S next stall.",
     "14-reading-a-trace"},
    {"Attached to a running program's live feed (COGEN_TRACE=live:ADDR). The feed first sends "
     "its history (the run from its start, or its most recent events: a warning says how many "
     "are missing), then events as they arrive; drag the slider back to look at the past while "
     "recording goes on, press "
     "'Live' to follow again. When the program ends or is not there yet, the viewer keeps "
     "what it has and retries until the program (re)starts.",
     "14-reading-a-trace"},
    {"The scheduler makes one transition per step: resume a coroutine (finalize + resume), "
     "process the op it yielded, poll the proactor, or expire timers. Pause, step one "
     "transition, step until a chosen coroutine's next event, run at a speed, or stop at a "
     "breakpoint on an op type or a coroutine (by id or name). The program's clock runs only "
     "during steps: paused time never makes a timeout fire.",
     "03-the-operation-protocol"},
    {"At each pick the scheduler runs the urgent pair (the last I/O completion of a poll), "
     "else the front of the active queue: that is cogen's order, numbered on the left. Be the "
     "scheduler: choose which ready (coroutine, op) pair runs next and watch what changes. "
     "Your pick is the next transition; the status says what it did. A coroutine that has "
     "not started only gets its frame on its first pick (and queues again): pick it twice. "
     "Between picks the scheduler finishes the transition chain it is in (process, poll).",
     "07-signals-and-the-lost-wakeup"},
}};

const Help& help_of(HelpTopic topic) noexcept {
    const auto i = static_cast<std::size_t>(topic);
    return helps[i < helps.size() ? i : 0];
}

}  // namespace

std::string_view help_text(HelpTopic topic) noexcept {
    return help_of(topic).text;
}

std::string_view help_chapter(HelpTopic topic) noexcept {
    return help_of(topic).chapter;
}

void help_marker(HelpTopic topic) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        const Help& h = help_of(topic);
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 34.0f);
        ImGui::TextUnformatted(h.text.data(), h.text.data() + h.text.size());
        ImGui::Spacing();
        const std::string chapter = "Tutorial: tutorials/" + std::string(h.chapter) + "/";
        ImGui::TextDisabled("%s", chapter.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void panel_heading(std::string_view title, HelpTopic topic) {
    ImGui::TextUnformatted(title.data(), title.data() + title.size());
    help_marker(topic);
}

}  // namespace cogen::viz

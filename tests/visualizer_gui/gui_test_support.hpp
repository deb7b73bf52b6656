// Support for the GUI tests: a synthetic trace with a coroutine in (almost) every box of the
// diagram, running cogen-viz as a child process, and reading its PNG back with stb_image.
#pragma once
#include <stb/stb_image.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cogen/instrument.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/trace_data.hpp"
#include "cogen/viz/diagram_layout.hpp"
#include "cogen/viz/trace_model.hpp"
#include "diagram_geometry.hpp"
#include "palette.hpp"
#include "view_state.hpp"

namespace cogen::viz::test {

/// A trace where, after its last event, coroutines sit in nine different boxes:
/// 1 joins, 2 timers, 3 signals, 4 proactor (fd 5), 5 queues, 6 active queue, 7 running,
/// 8 finished, 9 failed (finished box), 10 op.process.
inline trace::TraceData stations_trace() {
    trace::TraceData d;
    d.header.program = "stations";
    d.header.backend = "poll";
    std::uint32_t next_id = 1;
    auto str = [&](const char* s) {
        d.strings.set(next_id, s);
        return next_id++;
    };
    const std::uint32_t names[] = {str("main"),     str("sleeper"), str("waiter"), str("reader"),
                                   str("consumer"), str("fresh"),   str("runner"), str("done"),
                                   str("broken"),   str("thinker")};
    const std::uint32_t join = str("Join"), sleep = str("Sleep"), wfs = str("WaitForSignal"),
                        recv = str("Recv"), get = str("QueueGet"), coro2 = str("coro 2"),
                        go = str("go"), jobs = str("jobs"), poll = str("poll"), boom = str("boom");
    std::uint64_t seq = 0;
    std::uint64_t t = 1000;
    auto ev = [&](EventKind kind, std::uint64_t coro, std::uint64_t op = 0,
                  std::uint32_t op_type = 0, std::int64_t a = 0, std::int64_t b = 0,
                  std::uint32_t text = 0, std::int32_t fd = -1) {
        TraceEvent e;
        e.seq = ++seq;
        e.t_ns = t += 1000;
        e.kind = kind;
        e.coro = coro;
        e.op = op;
        e.op_type = op_type;
        e.a = a;
        e.b = b;
        e.text = text;
        e.fd = fd;
        d.events.push_back(e);
    };
    for (std::uint64_t c = 1; c <= 10; ++c) ev(EventKind::coro_spawn, c, 0, 0, 0, 0, names[c - 1]);
    ev(EventKind::sched_run_begin, 0, 0, 0, 0, 0, poll);
    auto park = [&](std::uint64_t c, std::uint64_t op, std::uint32_t type, Outcome outcome,
                    std::int64_t timeout, std::uint32_t label, std::int32_t fd = -1) {
        ev(EventKind::coro_resume, c, 0, 0, static_cast<std::int64_t>(ResumeMode::start));
        ev(EventKind::coro_suspend, c, op, type);
        ev(EventKind::op_process, c, op, type, static_cast<std::int64_t>(outcome), timeout, label,
           fd);
    };
    park(1, 11, join, Outcome::join, 0, coro2);
    d.events.back().target = 2;  // the runtime names the joined coroutine by id
    park(2, 12, sleep, Outcome::timer, 100'000'000, 0);
    park(3, 13, wfs, Outcome::signal, 0, go);
    park(4, 14, recv, Outcome::proactor, 0, 0, 5);
    ev(EventKind::proactor_register, 4, 14, recv, 1, 0, 0, 5);
    park(5, 15, get, Outcome::queue, 0, jobs);
    ev(EventKind::coro_resume, 8, 0, 0, 0);
    ev(EventKind::coro_finish, 8);
    ev(EventKind::coro_resume, 9, 0, 0, 0);
    ev(EventKind::coro_fail, 9, 0, 0, 0, 0, boom);
    ev(EventKind::coro_resume, 10, 0, 0, 0);
    ev(EventKind::coro_suspend, 10, 16, recv);
    ev(EventKind::proactor_poll_begin, 0, 0, 0, 100'000'000, 1, poll);
    ev(EventKind::proactor_poll_end, 0, 0, 0, 0, 50'000);
    ev(EventKind::coro_resume, 7, 0, 0, 0);
    return d;
}

/// A fresh folder for this test process's files.
inline std::filesystem::path scratch_dir() {
    auto dir =
        std::filesystem::temp_directory_path() / ("cogen-viz-tests-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

/// Writes `data` as JSON Lines with the tracer's writer; returns the path.
inline std::string write_jsonl(const trace::TraceData& data, const std::string& name) {
    const auto path = scratch_dir() / name;
    std::ofstream out(path);
    trace::export_jsonl(data, out);
    return path.string();
}

inline std::string write_text(const std::string& text, const std::string& name) {
    const auto path = scratch_dir() / name;
    std::ofstream(path) << text;
    return path.string();
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// What a cogen-viz run printed and returned.
struct VizRun {
    int status = -1;
    std::string out;
    std::string err;
};

/// Runs cogen-viz with `args` (without a display when `no_display`).
inline VizRun run_viz(const std::vector<std::string>& args, bool no_display = false) {
    const auto dir = scratch_dir();
    const std::string out = (dir / "viz.out").string();
    const std::string err = (dir / "viz.err").string();
    std::string cmd = no_display ? "env -u DISPLAY -u WAYLAND_DISPLAY " : "";
    cmd += "'" + std::string(COGEN_VIZ_EXE) + "'";
    for (const std::string& a : args) cmd += " '" + a + "'";
    cmd += " >'" + out + "' 2>'" + err + "'";
    VizRun r;
    const int raw = std::system(cmd.c_str());
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

/// A PNG read back: RGBA, top row first.
struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;

    Rgb at(int x, int y) const {
        const auto i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                        static_cast<std::size_t>(x)) *
                       4;
        return {rgba[i], rgba[i + 1], rgba[i + 2]};
    }
    bool inside(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height; }
};

inline std::optional<Image> load_png(const std::string& path) {
    int w = 0;
    int h = 0;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 4);
    if (!data) return std::nullopt;
    Image img{w, h, std::vector<std::uint8_t>(data, data + static_cast<std::size_t>(w) * h * 4)};
    stbi_image_free(data);
    return img;
}

inline bool close_to(Rgb a, Rgb b, int tolerance) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
           std::abs(a.b - b.b) <= tolerance;
}

/// Whether some pixel within `radius` of (x, y) is close to `c`.
inline bool colour_near(const Image& img, float x, float y, Rgb c, int radius = 2,
                        int tolerance = 30) {
    for (int dy = -radius; dy <= radius; ++dy) {
        for (int dx = -radius; dx <= radius; ++dx) {
            const int px = static_cast<int>(x) + dx;
            const int py = static_cast<int>(y) + dy;
            if (img.inside(px, py) && close_to(img.at(px, py), c, tolerance)) return true;
        }
    }
    return false;
}

/// The share of pixels that differ from the window background.
inline double non_background_share(const Image& img) {
    std::size_t n = 0;
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            if (!close_to(img.at(x, y), background_rgb, 6)) ++n;
        }
    }
    return static_cast<double>(n) / (static_cast<double>(img.width) * img.height);
}

/// Whether a token of colour `c` is drawn at `at` with radius `r`: most of a ring between its
/// id label and its outline has the colour.
inline bool token_at(const Image& img, ScreenPoint at, float r, Rgb c) {
    int hits = 0;
    for (int k = 0; k < 8; ++k) {
        const float a = static_cast<float>(k) * 0.785398f;
        if (colour_near(img, at.x + 0.55f * r * std::cos(a), at.y + 0.55f * r * std::sin(a), c, 0,
                        25)) {
            ++hits;
        }
    }
    return hits >= 5;
}

/// The coroutines of `model` at `seq` whose token is missing from a `--view diagram`
/// picture of size width x height (each checked in its box, in its state's colour).
inline std::vector<std::uint64_t> missing_tokens(const Image& img, const TraceModel& model,
                                                 std::uint64_t seq) {
    const ModelState state = model.state_at(seq);
    const DiagramLayout layout;
    const RestLayout rest = rest_layout(state, layout, DiagramView{}.max_per_box);
    const auto tf = DiagramTransform::fit(
        {0, 0, static_cast<float>(img.width), static_cast<float>(img.height)});
    std::vector<std::uint64_t> missing;
    for (const CoroutineState& c : state.coroutines) {
        const TokenSpot* spot = rest.find(c.id);
        if (!spot || !spot->shown) continue;
        const Box box = place_to_box(c.place.kind);
        const ScreenPoint at = tf.to_screen(spot->at);
        const float r = static_cast<float>(token_radius(layout, box, rest.shown(box))) * tf.scale();
        if (spot->box != box || !tf.to_screen(layout.box(box)).contains(at) ||
            !token_at(img, at, r, place_rgb(c.place.kind))) {
            missing.push_back(c.id);
        }
    }
    return missing;
}

}  // namespace cogen::viz::test

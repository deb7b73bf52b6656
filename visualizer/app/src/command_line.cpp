// Parsing cogen-viz's arguments (see command_line.hpp).
#include "command_line.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>

#include "app_layout.hpp"
#include "moment.hpp"

namespace cogen::viz {
namespace {

bool parse_u64(const std::string& text, std::uint64_t& out) {
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc{} && p == end && !text.empty();
}

bool parse_size(const std::string& text, int& w, int& h) {
    const auto x = text.find('x');
    if (x == std::string::npos) return false;
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    if (!parse_u64(text.substr(0, x), a) || !parse_u64(text.substr(x + 1), b)) return false;
    if (a < 200 || b < 150 || a > 8192 || b > 8192) return false;
    w = static_cast<int>(a);
    h = static_cast<int>(b);
    return true;
}

}  // namespace

CommandLine parse_command_line(const std::vector<std::string>& args) {
    CommandLine cl;
    bool keep_given = false;
    auto fail = [&cl](std::string why) {
        if (cl.error.empty()) cl.error = std::move(why);
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* name) -> std::string {
            if (i + 1 >= args.size()) {
                fail(std::string(name) + " needs a value");
                return {};
            }
            return args[++i];
        };
        if (a == "-h" || a == "--help") {
            cl.mode = CommandLine::Mode::help;
        } else if (a == "--version") {
            if (cl.mode != CommandLine::Mode::help) cl.mode = CommandLine::Mode::version;
        } else if (a == "--attach") {
            cl.mode = CommandLine::Mode::attach;
            cl.address = value("--attach");
        } else if (a == "--headless") {
            cl.headless = true;
        } else if (a == "--at") {
            cl.at = value("--at");
            if (!is_moment(*cl.at)) fail("--at needs an event seq, end, run-end or busiest");
        } else if (a == "--png") {
            cl.png = value("--png");
        } else if (a == "--view") {
            const std::string name = value("--view");
            if (auto v = view_from_name(name)) {
                cl.view = *v;
            } else {
                fail("unknown view '" + name +
                     "' (diagram, table, timeline, proactor, log, stalls, waitgraph, wake, all)");
            }
        } else if (a == "--size") {
            if (!parse_size(value("--size"), cl.width, cl.height)) {
                fail("--size needs WIDTHxHEIGHT, e.g. 1280x800 (200x150 to 8192x8192)");
            }
        } else if (a == "--select") {
            if (!parse_u64(value("--select"), cl.select)) fail("--select needs a coroutine id");
        } else if (a == "--play") {
            cl.play = true;
        } else if (a == "--from") {
            std::uint64_t seq = 0;
            if (!parse_u64(value("--from"), seq)) fail("--from needs an event seq (a number)");
            cl.from = seq;
        } else if (a == "--motion") {
            const std::string s = value("--motion");
            char* end = nullptr;
            const double t = std::strtod(s.c_str(), &end);
            if (end == s.c_str() || *end != '\0' || t < 0 || t > 1) {
                fail("--motion needs a fraction between 0 and 1");
            }
            cl.motion = t;
        } else if (a == "--keep") {
            if (!parse_keep(value("--keep"), cl.keep_events, cl.keep_bytes)) {
                fail("--keep needs a number of events (4000000), a size (500MB, 2GB) or all");
            }
            keep_given = true;
        } else if (a == "--for") {
            const std::string s = value("--for");
            char* end = nullptr;
            cl.attach_seconds = std::strtod(s.c_str(), &end);
            if (end == s.c_str() || *end != '\0' || cl.attach_seconds < 0) {
                fail("--for needs a number of seconds");
            }
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            fail("unknown option " + a);
        } else if (cl.file.empty()) {
            cl.file = a;
        } else {
            fail("one trace file only (got '" + cl.file + "' and '" + a + "')");
        }
    }
    if (cl.mode == CommandLine::Mode::help || cl.mode == CommandLine::Mode::version) return cl;
    if (cl.mode == CommandLine::Mode::attach) {
        if (!cl.file.empty()) fail("--attach takes no trace file");
        if (cl.address.empty()) fail("--attach needs an address: HOST:PORT, PORT or a socket path");
    } else if (cl.file.empty()) {
        fail("no trace file given");
    }
    if (cl.headless && cl.png.empty()) fail("--headless needs --png OUT.png");
    if (!cl.headless && !cl.png.empty()) fail("--png is for --headless");
    if ((cl.motion || cl.from) && !cl.headless) fail("--motion and --from are for --headless");
    if (cl.from && !cl.motion) fail("--from goes with --motion");
    if (keep_given && cl.mode != CommandLine::Mode::attach) fail("--keep is for --attach");
    if (cl.width == 0) {
        cl.width = cl.headless ? 1280 : 1440;
        cl.height = cl.headless ? 800 : 900;
    }
    return cl;
}

bool parse_keep(const std::string& text, std::size_t& events, std::size_t& bytes) {
    if (text == "all") {
        events = bytes = 0;
        return true;
    }
    std::size_t i = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == 0 || i > 15) return false;
    const std::size_t n = std::stoull(text.substr(0, i));
    std::string unit = text.substr(i);
    for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (unit.empty()) {
        if (n == 0) return false;
        events = n;
        bytes = 0;
        return true;
    }
    std::size_t scale = 0;
    if (unit == "KB" || unit == "K") scale = std::size_t{1} << 10;
    if (unit == "MB" || unit == "M") scale = std::size_t{1} << 20;
    if (unit == "GB" || unit == "G") scale = std::size_t{1} << 30;
    if (scale == 0 || n == 0) return false;
    events = 0;
    bytes = n * scale;
    return true;
}

std::string usage_text() {
    return R"(cogen-viz: watch cogen's scheduler loop from a trace.

usage:
  cogen-viz FILE                      replay a trace (JSON Lines or JSON document;
                                      FILE - reads it from standard input)
  cogen-viz --attach ADDR             watch a live program (COGEN_TRACE=live:ADDR);
                                      ADDR is HOST:PORT, PORT or a Unix socket path
  cogen-viz --headless --png OUT.png [--at WHEN] [--view VIEW] [--size WxH] FILE
                                      render one moment of a trace to a PNG
  cogen-viz --headless --png OUT.png --attach ADDR [--for SECONDS]
                                      render a live feed after SECONDS (default 2)

options:
  --view VIEW     diagram, table, timeline, proactor, log, stalls, waitgraph, wake or all
  --size WxH      window or picture size (default 1440x900, headless 1280x800)
  --at WHEN       the event whose state is shown: a seq, end, run-end (the last return
                  of run()) or busiest (most coroutines waiting); default: headless the
                  last event, replay the first
  --select ID     select a coroutine at start (inspector, why-woken, table)
  --motion F      headless: draw the tokens F (0..1) of the way along the edges they take
                  from --from SEQ (default: the event before --at) to --at
  --play          replay: start playing at once
  --keep N|SIZE   attach: keep the last N events, or about SIZE of model (500MB, 2GB;
                  default 2GB), and let older ones fall off; all: keep everything
  -h, --help      this text
  --version       print the version

exit status: 0 ok, 2 bad arguments, unreadable trace, or no OpenGL for --headless.
keys: Space play/pause, Left/Right one event, Home/End, S next stall, F follow (live);
in-process (run_with_visualizer): Space run/pause, N one transition.
)";
}

}  // namespace cogen::viz

// Command-line parsing shared by every chapter (tutorial/mode.hpp), and run_plain.
#include "tutorial/mode.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace cogen::tutorial {

std::string program_name(int number) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "tutorial-%02d", number);
    return buf;
}

void claim_failed(int number, const char* what) {
    std::fprintf(stderr, "%s: claim does not hold: %s\n", program_name(number).c_str(), what);
    std::exit(1);
}

std::string usage(int number, const std::string& title, bool accepts_seed) {
    const std::string me = program_name(number);
    std::string text = me + ": " + title + "\n\nusage: " + me + " [MODE]" +
                       (accepts_seed ? " [--seed N]" : "") +
                       "\n"
                       "  (none)      run the chapter\n"
                       "  --check     print the answers to the chapter's Predict exercises\n"
                       "  --watch     open the visualizer paused at the chapter's key moment\n"
                       "  --png FILE  render the key moment to FILE (no window)\n"
                       "  --pick      be the scheduler: choose the next (coroutine, op) pair;\n"
                       "              one number per line on stdin, end of input = let the\n"
                       "              scheduler choose from then on\n";
    if (accepts_seed) text += "  --seed N    choose the program the chapter runs\n";
    text += "  --help      this text\n";
    return text;
}

std::optional<Mode> parse_mode(int number, int argc, char** argv, bool accepts_seed) {
    const std::string me = program_name(number);
    auto bad = [&](const std::string& why) -> std::optional<Mode> {
        std::fprintf(stderr, "%s: %s (try --help)\n", me.c_str(), why.c_str());
        return std::nullopt;
    };
    Mode mode;
    bool have_mode = false;
    auto set = [&](Mode::Kind kind, std::string_view arg) {
        if (have_mode) return false;
        (void)arg;
        mode.kind = kind;
        have_mode = true;
        return true;
    };
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        bool ok = true;
        if (arg == "--check") {
            ok = set(Mode::Kind::check, arg);
        } else if (arg == "--watch") {
            ok = set(Mode::Kind::watch, arg);
        } else if (arg == "--pick") {
            ok = set(Mode::Kind::pick, arg);
        } else if (arg == "--help" || arg == "-h") {
            ok = set(Mode::Kind::help, arg);
        } else if (arg == "--png") {
            if (i + 1 >= argc) return bad("--png needs a file name");
            ok = set(Mode::Kind::png, arg);
            mode.png_file = argv[++i];
        } else if (arg == "--seed" && accepts_seed) {
            if (i + 1 >= argc) return bad("--seed needs a number");
            const std::string_view n = argv[++i];
            std::uint64_t value = 0;
            const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), value);
            if (ec != std::errc{} || end != n.data() + n.size())
                return bad("--seed wants a number, not '" + std::string(n) + "'");
            mode.seed = value;
        } else {
            return bad("unknown argument '" + std::string(arg) + "'");
        }
        if (!ok) return bad("one mode at a time ('" + std::string(arg) + "' comes after another)");
    }
    return mode;
}

int run_plain(const PlainChapter& chapter, int argc, char** argv) {
    const auto mode = parse_mode(chapter.number, argc, argv);
    if (!mode) return 2;
    const std::string me = program_name(chapter.number);
    switch (mode->kind) {
        case Mode::Kind::help:
            std::fputs(usage(chapter.number, chapter.title).c_str(), stdout);
            return 0;
        case Mode::Kind::check:
            if (chapter.check) chapter.check();
            return 0;
        case Mode::Kind::png:
            std::fprintf(
                stderr,
                "%s: this chapter builds its own loop; there is no cogen scheduler to draw\n",
                me.c_str());
            return 2;
        case Mode::Kind::watch:
        case Mode::Kind::pick:
            std::fprintf(stderr,
                         "%s: this chapter builds its own loop; there is no cogen scheduler to "
                         "show, running it\n",
                         me.c_str());
            break;
        case Mode::Kind::run:
            break;
    }
    if (chapter.story) chapter.story();
    return 0;
}

}  // namespace cogen::tutorial

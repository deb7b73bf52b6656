// The command line every chapter program understands, and the harness for the two chapters
// that build their own toy scheduler (01, 02) and so link no runtime. The full harness for
// the other chapters is tutorial/chapter.hpp. Conventions: tutorials/AUTHORING.md.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace cogen::tutorial {

/// What the learner asked for on the command line.
struct Mode {
    enum class Kind {
        run,    ///< no argument: the chapter's story (diffed with expected.txt)
        check,  ///< --check: the answers to the prediction exercises (check.txt)
        watch,  ///< --watch: the visualizer, paused at the key moment
        png,    ///< --png FILE: the key moment rendered headless to FILE
        pick,   ///< --pick: "be the scheduler" on the terminal, choices read from stdin
        help,   ///< --help: usage on stdout, exit 0
    };
    Kind kind = Kind::run;
    std::string png_file;               ///< --png FILE
    std::optional<std::uint64_t> seed;  ///< --seed N (chapters that accept it)
};

/// Parses argv. On a bad argument it prints one line on stderr ("tutorial-07: unknown
/// argument '--x' (try --help)") and returns nullopt: the caller exits with 2.
/// `accepts_seed`: --seed N is allowed (chapter 16); it combines with any mode.
std::optional<Mode> parse_mode(int number, int argc, char** argv, bool accepts_seed = false);

/// The usage text printed by --help.
std::string usage(int number, const std::string& title, bool accepts_seed = false);

/// "tutorial-07": the program's name in its one-line messages.
std::string program_name(int number);

/// A chapter's claim about its own run did not hold: says which on stderr ("tutorial-NN:
/// claim does not hold: WHAT") and exits 1, so the chapter's tests fail.
[[noreturn]] void claim_failed(int number, const char* what);

/// A chapter without the runtime (01, 02): the story and its answers, nothing to watch.
struct PlainChapter {
    int number = 0;
    std::string title{};
    std::function<void()> story{};  ///< the plain run
    std::function<void()> check{};  ///< prints the answers (--check)
};

/// main() of a plain chapter: `return cogen::tutorial::run_plain(chapter, argc, argv);`
/// Supports no argument, --check and --help. --watch and --pick say in one line that the
/// chapter has no cogen scheduler to show and run the story; --png says so and exits 2.
int run_plain(const PlainChapter& chapter, int argc, char** argv);

}  // namespace cogen::tutorial

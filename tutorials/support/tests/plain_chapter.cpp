// A chapter without the runtime (as 01 and 02 are), on run_plain: the harness's tests run it
// with --check and --pick to show the no-runtime subset works.
#include <cstdio>

#include "tutorial/mode.hpp"

int main(int argc, char** argv) {
    cogen::tutorial::PlainChapter chapter{
        .number = 99,
        .title = "a plain chapter",
        .story = [] { std::printf("the story\n"); },
        .check = [] { std::printf("P1: 42\n"); },
    };
    return cogen::tutorial::run_plain(chapter, argc, argv);
}

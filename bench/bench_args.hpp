// The command line of the benchmark programs that take only positional numbers
// (cogen-bench-model, cogen-bench-viz-*, cogen-bench-trace-read): --help prints the usage on
// standard output (exit 0); an option, a bad number or one argument too many prints it on
// standard error (exit 2) instead of starting a benchmark with the wrong input.
#pragma once
#include <cstdio>
#include <cstring>

namespace cogen::bench {

/// -1: go on; otherwise the exit status. The first `numeric` arguments must be numbers; at
/// most `max_args` arguments in all.
///
///     if (const int status = check_positional_args(argc, argv, usage, 3, 3); status >= 0)
///         return status;
inline int check_positional_args(int argc, char** argv, const char* usage, int numeric,
                                 int max_args) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("%s\n", usage);
            return 0;
        }
    }
    for (int i = 1; i < argc; ++i) {
        const bool number =
            argv[i][0] != '\0' && std::strspn(argv[i], "0123456789") == std::strlen(argv[i]);
        if (i > max_args || argv[i][0] == '-' || (i <= numeric && !number)) {
            std::fprintf(stderr, "%s: bad argument '%s'\n%s\n", argv[0], argv[i], usage);
            return 2;
        }
    }
    return -1;
}

}  // namespace cogen::bench

// The command line of the example programs that take no arguments (examples/stalls,
// cogen-demo-trace): --help prints what the program does (exit 0); any other argument is a
// mistake (exit 2) rather than something silently ignored.
#pragma once
#include <cstdio>
#include <cstring>

namespace cogen::examples {

/// -1: go on; otherwise the exit status.
///
///     if (const int status = check_no_args(argc, argv, "usage: prog\n..."); status >= 0)
///         return status;
inline int check_no_args(int argc, char** argv, const char* usage) {
    if (argc < 2) return -1;
    if (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        std::printf("%s\n", usage);
        return 0;
    }
    std::fprintf(stderr, "%s: takes no arguments (got '%s')\n%s\n", argv[0], argv[1], usage);
    return 2;
}

}  // namespace cogen::examples

// rss_bytes(): the process's resident set size now, for the memory figures of the benchmarks
// (bytes per timer, per idle connection).
#pragma once
#include <unistd.h>

#include <cstdio>

namespace cogen::bench {

/// Resident bytes of this process (from /proc/self/statm), 0 if unreadable.
inline long rss_bytes() {
    long pages_total = 0;
    long pages_rss = 0;
    if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages_total, &pages_rss) != 2) pages_rss = 0;
        std::fclose(f);
    }
    return pages_rss * ::sysconf(_SC_PAGESIZE);
}

}  // namespace cogen::bench

// process_trace_header: this program's name and pid for trace headers.
#include "cogen/trace/process_header.hpp"

#include <unistd.h>

#include <fstream>
#include <string>

namespace cogen::trace {

TraceHeader process_trace_header() {
    TraceHeader header;
    header.pid = static_cast<std::int64_t>(::getpid());
    std::ifstream comm{"/proc/self/comm"};
    std::string name;
    if (comm && std::getline(comm, name)) header.program = name;
    return header;
}

}  // namespace cogen::trace

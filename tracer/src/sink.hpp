// Sink: a file writer's machinery behind FileWriter (cogen/trace/file_writer.hpp): the pipe
// the scheduler fills, the file's path, and the close and flush of the thread that drains the
// pipe. FileSink streams an encoding as it goes; PerfettoSink gathers the trace and exports
// it at the end. Both flush at exit and on fatal signals (crash_guard.hpp). Private to the
// tracer.
#pragma once
#include <cstddef>
#include <string>
#include <utility>

#include "crash_guard.hpp"
#include "event_pipe.hpp"

namespace cogen::trace::detail {

class Sink : public Flushable {
  public:
    Sink(const Sink&) = delete;
    Sink& operator=(const Sink&) = delete;

    EventPipe& pipe() noexcept { return m_pipe; }
    const std::string& path() const noexcept { return m_path; }
    /// Writes what is left and closes the file; idempotent. Later events are ignored.
    virtual void close() = 0;
    /// Returns once every event received so far is in the file (or after a timeout).
    virtual bool flush() = 0;

  protected:
    Sink(std::string path, std::size_t ring_capacity)
        : m_path(std::move(path)), m_pipe(ring_capacity) {}

    std::string m_path;
    EventPipe m_pipe;
};

}  // namespace cogen::trace::detail

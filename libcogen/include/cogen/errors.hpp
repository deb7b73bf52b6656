// The exceptions cogen throws at a co_await, named as in Python cogen.
// Every one derives from cogen::Error. Reference: docs/api.md ("Errors").
#pragma once
#include <cerrno>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <system_error>

namespace cogen {

class Operation;

/// Base of every cogen exception.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// The deadline of an operation passed before it completed.
///
///     try { co_await WaitForSignal{"go", 1s}; } catch (const OperationTimeout& e) { ... }
///
/// op() is the operation that expired. It points into the awaiting
/// coroutine's frame: compare it, don't keep it past the catch block.
class OperationTimeout : public Error {
  public:
    explicit OperationTimeout(const Operation* op, const std::string& what = "operation timed out")
        : Error(what), m_op(op) {}
    const Operation* op() const noexcept { return m_op; }

  private:
    const Operation* m_op;
};

/// The coroutine was cancelled (CoroRef::cancel) while it waited on an
/// operation; also what joiners of a cancelled coroutine receive.
class Cancelled : public Error {
  public:
    Cancelled() : Error("coroutine cancelled") {}
    explicit Cancelled(const std::string& what) : Error(what) {}
};

/// A socket failed. code() carries the errno where there is one.
class SocketError : public Error {
  public:
    explicit SocketError(const std::string& what, int err = 0)
        : Error(err ? what + ": " + std::generic_category().message(err) : what),
          m_code(err, std::generic_category()) {}
    std::error_code code() const noexcept { return m_code; }

  private:
    std::error_code m_code;
};

/// The peer closed the connection: EOF, hang-up, reset or broken pipe.
/// partial() holds the bytes already received by an exact read cut short.
class ConnectionClosed : public SocketError {
  public:
    explicit ConnectionClosed(const std::string& what = "Connection closed.", int err = 0,
                              std::string partial = {})
        : SocketError(what, err), m_partial(std::move(partial)) {}
    const std::string& partial() const noexcept { return m_partial; }

  private:
    std::string m_partial;
};

/// Queue::get_nowait() on an empty queue.
class Empty : public Error {
  public:
    Empty() : Error("queue is empty") {}
};

/// Queue::put_nowait() on a full queue.
class Full : public Error {
  public:
    Full() : Error("queue is full") {}
};

/// Thrown into a pipe producer when its consumer calls stop().
class IterationStopped : public Error {
  public:
    IterationStopped() : Error("iteration stopped by the consumer") {}
};

/// The requested proactor backend is not available here; what() says why.
class UnsupportedBackend : public Error {
  public:
    using Error::Error;
};

}  // namespace cogen

// HttpError: an exception that becomes an HTTP error response (a handler
// throws it; reading a bad request body throws it). docs/http.md.
#pragma once
#include <string>

#include "cogen/errors.hpp"

namespace cogen::web {

/// Answer the current request with `status` and close the connection.
///
///     if (!authorized) throw HttpError(403, "no entry");
///
/// Reading a malformed chunked body throws HttpError(400); a body over
/// Limits::max_body_bytes throws HttpError(413).
class HttpError : public Error {
  public:
    explicit HttpError(int status, const std::string& what = {})
        : Error(what.empty() ? "HTTP " + std::to_string(status) : what), m_status(status) {}
    int status() const noexcept { return m_status; }

  private:
    int m_status;
};

}  // namespace cogen::web

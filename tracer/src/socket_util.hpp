// Socket helpers for the live feed and its client: listen on / connect to a LiveAddress.
// Private to the tracer.
#pragma once
#include "cogen/trace/live_address.hpp"

namespace cogen::trace::detail {

/// A non-blocking listening socket; `bound` gets the real address (the port picked for 0).
/// Throws std::system_error.
int listen_on(const LiveAddress& address, LiveAddress& bound);
/// A connected blocking socket. Throws std::system_error.
int connect_to(const LiveAddress& address);
void set_nonblocking(int fd);

}  // namespace cogen::trace::detail

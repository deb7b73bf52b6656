// poll_until: what the live-feed tests wait with — a LiveClient polled until a condition on
// what it received holds.
#pragma once
#include <chrono>

#include "cogen/trace/live_client.hpp"

namespace cogen::trace::test {

/// Polls `client` (20 ms at a time) until `done()` holds: true, or false after 15 s.
template <class Done>
bool poll_until(LiveClient& client, Done&& done) {
    using namespace std::chrono_literals;
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        client.poll(20ms);
    }
    return true;
}

}  // namespace cogen::trace::test

// Queue: ids that name anonymous queues in traces ("queue-3").
#include "cogen/events/queue.hpp"

namespace cogen {

std::uint64_t detail::next_queue_id() noexcept {
    static std::atomic<std::uint64_t> next{0};
    return ++next;
}

}  // namespace cogen

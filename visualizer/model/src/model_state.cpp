// ModelState: lookups over the replayed state (the reducer does the updates).
#include "cogen/viz/model_state.hpp"

#include <algorithm>
#include <utility>

namespace cogen::viz {
namespace {

std::vector<std::uint64_t> live_users(const ModelState& state, const std::vector<NameUse>& uses,
                                      std::uint32_t name) {
    std::vector<std::uint64_t> out;
    auto it = std::lower_bound(uses.begin(), uses.end(), NameUse{name, 0});
    for (; it != uses.end() && it->name == name; ++it) {
        const CoroutineState* c = state.find(it->coro);
        if (c && c->alive()) out.push_back(it->coro);
    }
    return out;
}

}  // namespace

const CoroutineState* ModelState::find(std::uint64_t id) const noexcept {
    const std::size_t slot = coroutine_index.find(coroutines, id);
    return slot != coroutines.size() ? &coroutines[slot] : nullptr;
}

CoroutineState* ModelState::find(std::uint64_t id) noexcept {
    const std::size_t slot = coroutine_index.find_and_remember(coroutines, id);
    return slot != coroutines.size() ? &coroutines[slot] : nullptr;
}

CoroutineState& ModelState::find_or_add(std::uint64_t id) {
    // Ids grow with every spawn, so a new one is usually past the last: appended.
    if (coroutines.empty() || coroutines.back().id < id) {
        ++alive;
        coroutine_index.remember(id, coroutines.size());
        return coroutines.emplace_back(CoroutineState{.id = id});
    }
    if (CoroutineState* c = find(id)) return *c;
    ++alive;
    coroutine_index.clear();  // the slots after it move
    return *coroutines.insert(lower_bound_id(coroutines, id), CoroutineState{.id = id});
}

const Registration* ModelState::registration(std::uint64_t op) const noexcept {
    return registrations.find(op);
}

const PendingTimer* ModelState::timer(std::uint64_t op) const noexcept {
    return timers.find(op);
}

std::vector<PendingTimer> ModelState::timers_by_deadline() const {
    std::vector<PendingTimer> out;
    out.reserve(timers.size());
    for (const auto& [op, timer] : timers) out.push_back(timer);
    std::stable_sort(out.begin(), out.end(), [](const PendingTimer& x, const PendingTimer& y) {
        return x.deadline_ns < y.deadline_ns;
    });
    return out;
}

std::vector<std::uint64_t> ModelState::active_queue() const {
    std::vector<const CoroutineState*> queued;
    for (const CoroutineState& c : coroutines) {
        if (c.place.kind == PlaceKind::active) queued.push_back(&c);
    }
    std::sort(queued.begin(), queued.end(), [](const CoroutineState* x, const CoroutineState* y) {
        return before_in_place(*x, *y);
    });
    std::vector<std::uint64_t> out;
    out.reserve(queued.size());
    for (const CoroutineState* c : queued) out.push_back(c->id);
    return out;
}

std::vector<PollRecord> ModelState::recent_polls() const {
    const std::size_t n = std::min<std::uint64_t>(poll_count, poll_history);
    std::vector<PollRecord> out;
    out.reserve(n);
    for (std::uint64_t i = poll_count - n; i < poll_count; ++i) {
        out.push_back(poll_ring[i % poll_history]);
    }
    return out;
}

std::vector<std::uint64_t> ModelState::live_emitters(std::uint32_t signal) const {
    return live_users(*this, signal_emitters, signal);
}

std::vector<std::uint64_t> ModelState::live_label_users(std::uint32_t label) const {
    return live_users(*this, label_users, label);
}

std::vector<std::uint64_t> ModelState::live_queue_users(std::uint32_t label, QueueSide side) const {
    return live_users(*this, side == QueueSide::put ? queue_putters : queue_getters, label);
}

std::vector<std::uint64_t> ModelState::queue_users(std::uint32_t label, QueueSide side) const {
    const std::vector<NameUse>& uses = side == QueueSide::put ? queue_putters : queue_getters;
    std::vector<std::uint64_t> out;
    for (auto it = std::lower_bound(uses.begin(), uses.end(), NameUse{label, 0});
         it != uses.end() && it->name == label; ++it) {
        out.push_back(it->coro);
    }
    return out;
}

void ModelState::forget_ended_before(std::uint64_t seq) {
    const auto gone = [seq](const CoroutineState& c) {
        // Failed ones stay: whether someone joins them later decides a finding.
        return !c.alive() && c.end_seq != 0 && c.end_seq < seq && c.place.kind != PlaceKind::failed;
    };
    if (std::erase_if(coroutines, gone) != 0) coroutine_index.clear();
    // (Even when none went now: a replay after the window's start may have added an entry
    // naming a coroutine forgotten then, which a state pruned later would not hold.)
    forget_gone_uses();
}

void ModelState::forget_gone_uses() {
    // Of the entries naming coroutines no longer here, keep the last one of each name:
    // the name was used (an orphan signal says "every emitter has ended").
    const auto prune = [&](std::vector<NameUse>& uses) {
        std::vector<NameUse> kept;
        kept.reserve(uses.size());
        for (std::size_t i = 0; i < uses.size();) {
            std::size_t end = i;
            std::size_t last_gone = uses.size();
            for (; end < uses.size() && uses[end].name == uses[i].name; ++end)
                if (find(uses[end].coro) == nullptr) last_gone = end;
            for (std::size_t j = i; j < end; ++j)
                if (j == last_gone || find(uses[j].coro) != nullptr) kept.push_back(uses[j]);
            i = end;
        }
        uses = std::move(kept);
    };
    prune(signal_emitters);
    prune(label_users);
    prune(queue_putters);
    prune(queue_getters);
}

std::size_t ModelState::memory_bytes() const noexcept {
    constexpr std::size_t node_overhead = 48;  // a std::map node's links and key
    return sizeof(*this) + coroutines.capacity() * sizeof(CoroutineState) +
           coroutine_index.memory_bytes() + registrations.memory_bytes() + timers.memory_bytes() +
           queues.size() * (sizeof(QueueRecord) + node_overhead) +
           last_signals.size() * (sizeof(SignalRecord) + node_overhead) +
           (signal_emitters.capacity() + label_users.capacity() + queue_putters.capacity() +
            queue_getters.capacity()) *
               sizeof(NameUse);
}

}  // namespace cogen::viz

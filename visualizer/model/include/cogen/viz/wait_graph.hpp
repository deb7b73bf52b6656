// WaitForGraph: who waits on what, and which coroutines could wake it, built
// from one ModelState. Stall detection finds signal waits nobody can end and
// deadlock cycles in it; the GUI draws it. docs/visualizer-model.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "cogen/viz/model_state.hpp"

namespace cogen::viz {

/// One waiting coroutine. Who could wake it: WaitForGraph::wakers(node).
struct WaitNode {
    std::uint64_t coro = 0;
    Place place{};                ///< what it waits on (kind, label, target, fd ...)
    std::uint64_t since_seq = 0;  ///< when the wait began
    std::uint64_t since_t_ns = 0;
    bool external = false;  ///< proactor or timer: the OS or the clock ends it
    std::size_t group = 0;  ///< index of its waker set (internal)
};

/// The wait-for graph of one state: waiting coroutine -> what it waits on ->
/// the coroutines that could end the wait.
///
/// The wakers of a wait are alive coroutines other than the waiter:
/// - join / call: the joined (called) coroutine, while it is alive (a
///   coroutine joining itself is its own, never-finishing, waker);
/// - signal: every coroutine that emitted this signal name before and is
///   still alive (a heuristic: one that never emitted it yet is not counted,
///   see docs/visualizer-model.md);
/// - queue / pubsub whose op reported its side (QueueSide): a get waits for an
///   item, so its wakers are the coroutines that put into that queue before; a
///   put on a full queue waits for room, so its wakers are those that took from it;
/// - other queue / pubsub / pipe / other waits (and traces from before sides):
///   every coroutine that used the same wait label before (an op.process with
///   that label, or a release of it);
/// - proactor and timer waits have none (`external`).
///
/// Waits on the same label share one waker set, so the graph stays linear in
/// size even when hundreds of coroutines wait on one busy queue.
///
///     WaitForGraph g = WaitForGraph::build(state);
///     for (const WaitNode& n : g.nodes()) for (auto w : g.wakers(n)) draw_arrow(n.coro, w);
///     for (const auto& cycle : g.cycles()) report(cycle);   // deadlocks
/// The alive coroutines that could end a wait at `place` in `state`, other than
/// `waiter` (the rules above; a self-join keeps the waiter), sorted. Proactor and timer
/// waits have none.
std::vector<std::uint64_t> possible_wakers(const ModelState& state, const Place& place,
                                           std::uint64_t waiter);

class WaitForGraph {
  public:
    /// Every waiting coroutine of `state` (places for which is_waiting() holds),
    /// in id order.
    static WaitForGraph build(const ModelState& state);

    std::span<const WaitNode> nodes() const noexcept { return m_nodes; }
    /// The node of this coroutine, or nullptr when it is not waiting.
    const WaitNode* find(std::uint64_t coro) const noexcept;
    /// The coroutines that could end this wait, sorted (see the class comment).
    std::vector<std::uint64_t> wakers(const WaitNode& node) const;
    /// Whether wakers(node) is non-empty, in constant time.
    bool has_wakers(const WaitNode& node) const noexcept;

    /// Coroutines that can never be woken by another coroutine: waiting
    /// without a timeout on a coroutine wait (is_coroutine_wait) whose every
    /// waker is itself stuck. (A wait with no waker at all is left out:
    /// nothing is known about who could end it.) Sorted.
    std::vector<std::uint64_t> stuck() const;
    /// The deadlocks: each cycle among stuck() coroutines, as the coroutine ids
    /// along the cycle (waiter, a coroutine it waits on, ...), starting at the
    /// smallest id; cycles are ordered by that first id. A self-join is a
    /// cycle of one.
    std::vector<std::vector<std::uint64_t>> cycles() const;

  private:
    std::vector<WaitNode> m_nodes;                     // sorted by coro
    std::vector<std::vector<std::uint64_t>> m_groups;  // live members, sorted; [0] is empty
};

}  // namespace cogen::viz

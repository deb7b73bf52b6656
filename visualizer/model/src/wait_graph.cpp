// WaitForGraph: building the edges, the stuck set and the deadlock cycles.
#include "cogen/viz/wait_graph.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>

namespace cogen::viz {
namespace {

bool is_join_kind(PlaceKind kind) {
    return kind == PlaceKind::join || kind == PlaceKind::call;
}

// Everyone alive who could end a wait of this kind on this label or target,
// the waiter included (it is taken out per waiter, so the set can be shared).
std::vector<std::uint64_t> live_members(const ModelState& state, const Place& place) {
    std::vector<std::uint64_t> out;
    switch (place.kind) {
        case PlaceKind::join:
        case PlaceKind::call:
            if (const CoroutineState* t = state.find(place.target); t && t->alive()) {
                out.push_back(t->id);
            }
            break;
        case PlaceKind::signal:
            out = state.live_emitters(place.label);
            break;
        case PlaceKind::proactor:
        case PlaceKind::timer:
            break;
        default:
            // A get waits for a putter, a put on a full queue for a getter.
            if (place.side == QueueSide::get) {
                out = state.live_queue_users(place.label, QueueSide::put);
            } else if (place.side == QueueSide::put) {
                out = state.live_queue_users(place.label, QueueSide::get);
            } else {
                out = state.live_label_users(place.label);
            }
            break;
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool contains(const std::vector<std::uint64_t>& sorted, std::uint64_t id) {
    return std::binary_search(sorted.begin(), sorted.end(), id);
}

// Tarjan's strongly connected components, iterative (a long chain of waiters
// must not overflow the stack). Nodes are 0..n-1.
std::vector<std::vector<std::size_t>> strongly_connected(
    const std::vector<std::vector<std::size_t>>& adj) {
    const std::size_t n = adj.size();
    constexpr std::size_t unvisited = static_cast<std::size_t>(-1);
    std::vector<std::size_t> index(n, unvisited), low(n, 0);
    std::vector<bool> on_stack(n, false);
    std::vector<std::size_t> stack;
    std::vector<std::vector<std::size_t>> out;
    std::size_t counter = 0;
    struct Frame {
        std::size_t node;
        std::size_t next_edge;
    };
    for (std::size_t root = 0; root < n; ++root) {
        if (index[root] != unvisited) continue;
        std::vector<Frame> frames{{root, 0}};
        index[root] = low[root] = counter++;
        stack.push_back(root);
        on_stack[root] = true;
        while (!frames.empty()) {
            Frame& f = frames.back();
            if (f.next_edge < adj[f.node].size()) {
                const std::size_t w = adj[f.node][f.next_edge++];
                if (index[w] == unvisited) {
                    index[w] = low[w] = counter++;
                    stack.push_back(w);
                    on_stack[w] = true;
                    frames.push_back({w, 0});
                } else if (on_stack[w]) {
                    low[f.node] = std::min(low[f.node], index[w]);
                }
                continue;
            }
            const std::size_t v = f.node;
            frames.pop_back();
            if (!frames.empty())
                low[frames.back().node] = std::min(low[frames.back().node], low[v]);
            if (low[v] != index[v]) continue;
            std::vector<std::size_t> component;
            std::size_t w = 0;
            do {
                w = stack.back();
                stack.pop_back();
                on_stack[w] = false;
                component.push_back(w);
            } while (w != v);
            out.push_back(std::move(component));
        }
    }
    return out;
}

// The shortest cycle from the smallest of `members` back to it (breadth-first
// over `next`, which lists a coroutine's wakers inside the component).
template <class Next>
std::vector<std::uint64_t> cycle_through(const std::vector<std::uint64_t>& members, Next next) {
    const std::uint64_t start = members.front();
    std::map<std::uint64_t, std::uint64_t> parent;
    std::deque<std::uint64_t> todo{start};
    while (!todo.empty()) {
        const std::uint64_t v = todo.front();
        todo.pop_front();
        for (std::uint64_t w : next(v)) {
            if (w == start) {
                std::vector<std::uint64_t> path{v};
                while (path.back() != start) path.push_back(parent.at(path.back()));
                std::reverse(path.begin(), path.end());
                return path;
            }
            if (parent.try_emplace(w, v).second) todo.push_back(w);
        }
    }
    return {start};
}

}  // namespace

std::vector<std::uint64_t> possible_wakers(const ModelState& state, const Place& place,
                                           std::uint64_t waiter) {
    std::vector<std::uint64_t> out = live_members(state, place);
    if (!is_join_kind(place.kind)) std::erase(out, waiter);
    return out;
}

WaitForGraph WaitForGraph::build(const ModelState& state) {
    WaitForGraph g;
    g.m_groups.emplace_back();  // group 0: no wakers
    // Waits of one kind on one label (or one join target) share a waker set.
    std::map<std::pair<int, std::uint64_t>, std::size_t> groups;
    for (const CoroutineState& c : state.coroutines) {
        if (!is_waiting(c.place.kind)) continue;
        WaitNode node{.coro = c.id,
                      .place = c.place,
                      .since_seq = c.since_seq,
                      .since_t_ns = c.since_t_ns,
                      .external = !is_coroutine_wait(c.place.kind)};
        if (!node.external) {
            // Families: joins by target, signals, then label waits per queue side.
            const int family = is_join_kind(c.place.kind) ? 0
                               : c.place.kind == PlaceKind::signal
                                   ? 1
                                   : 2 + static_cast<int>(c.place.side);
            const std::uint64_t key = family == 0 ? c.place.target : c.place.label;
            auto [it, inserted] = groups.try_emplace({family, key}, g.m_groups.size());
            if (inserted) g.m_groups.push_back(live_members(state, c.place));
            node.group = it->second;
        }
        g.m_nodes.push_back(node);
    }
    return g;
}

const WaitNode* WaitForGraph::find(std::uint64_t coro) const noexcept {
    auto it = std::lower_bound(m_nodes.begin(), m_nodes.end(), coro,
                               [](const WaitNode& n, std::uint64_t key) { return n.coro < key; });
    return it != m_nodes.end() && it->coro == coro ? &*it : nullptr;
}

std::vector<std::uint64_t> WaitForGraph::wakers(const WaitNode& node) const {
    std::vector<std::uint64_t> out = m_groups[node.group];
    // A coroutine cannot wake itself, except that a self-join is its own
    // (never finishing) waker: a deadlock of one.
    if (!is_join_kind(node.place.kind)) std::erase(out, node.coro);
    return out;
}

bool WaitForGraph::has_wakers(const WaitNode& node) const noexcept {
    const std::vector<std::uint64_t>& members = m_groups[node.group];
    if (is_join_kind(node.place.kind)) return !members.empty();
    return members.size() > (contains(members, node.coro) ? 1u : 0u);
}

std::vector<std::uint64_t> WaitForGraph::stuck() const {
    // Start from every untimed coroutine wait with wakers. A waker set with a
    // member outside that set is "free": someone who can still run could end
    // the waits on it, so those waiters leave the set, which frees the sets
    // they belong to, and so on. What remains can only wait on each other.
    const std::size_t n = m_nodes.size();
    std::vector<bool> in(n, false);
    std::vector<std::vector<std::size_t>> users(m_groups.size());
    for (std::size_t i = 0; i < n; ++i) {
        const WaitNode& node = m_nodes[i];
        in[i] = !node.external && node.place.timeout_ns == 0 && has_wakers(node);
        if (in[i]) users[node.group].push_back(i);
    }
    std::vector<bool> freed(m_groups.size(), false);
    std::vector<std::size_t> todo;
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> member_of;
    for (std::size_t gi = 1; gi < m_groups.size(); ++gi) {
        if (users[gi].empty()) continue;
        for (std::uint64_t m : m_groups[gi]) {
            const WaitNode* node = find(m);
            if (node != nullptr && in[static_cast<std::size_t>(node - m_nodes.data())]) {
                member_of[m].push_back(gi);
            } else if (!freed[gi]) {
                freed[gi] = true;
                todo.push_back(gi);
            }
        }
    }
    while (!todo.empty()) {
        const std::size_t gi = todo.back();
        todo.pop_back();
        for (std::size_t i : users[gi]) {
            if (!in[i]) continue;
            in[i] = false;
            for (std::size_t g2 : member_of[m_nodes[i].coro]) {
                if (!freed[g2]) {
                    freed[g2] = true;
                    todo.push_back(g2);
                }
            }
        }
    }
    std::vector<std::uint64_t> out;
    for (std::size_t i = 0; i < n; ++i) {
        if (in[i]) out.push_back(m_nodes[i].coro);
    }
    return out;
}

std::vector<std::vector<std::uint64_t>> WaitForGraph::cycles() const {
    // Vertices: the stuck coroutines (0..k-1), then their waker sets (k + g).
    // Edges: waiter -> its set -> the set's stuck members.
    const std::vector<std::uint64_t> ids = stuck();
    const std::size_t k = ids.size();
    auto local = [&](std::uint64_t coro) {
        auto it = std::lower_bound(ids.begin(), ids.end(), coro);
        return it != ids.end() && *it == coro ? static_cast<std::size_t>(it - ids.begin()) : k;
    };
    std::vector<std::vector<std::size_t>> adj(k + m_groups.size());
    std::vector<bool> group_used(m_groups.size(), false);
    for (std::size_t i = 0; i < k; ++i) {
        const std::size_t gi = find(ids[i])->group;
        adj[i].push_back(k + gi);
        group_used[gi] = true;
    }
    for (std::size_t gi = 0; gi < m_groups.size(); ++gi) {
        if (!group_used[gi]) continue;
        for (std::uint64_t m : m_groups[gi]) {
            if (const std::size_t j = local(m); j < k) adj[k + gi].push_back(j);
        }
    }
    std::vector<std::vector<std::uint64_t>> out;
    for (const auto& component : strongly_connected(adj)) {
        std::vector<std::uint64_t> members;
        for (std::size_t v : component) {
            if (v < k) members.push_back(ids[v]);
        }
        std::sort(members.begin(), members.end());
        if (members.empty()) continue;
        const WaitNode& first = *find(members.front());
        const bool self_join = is_join_kind(first.place.kind) && first.place.target == first.coro;
        if (members.size() < 2 && !self_join) continue;
        out.push_back(cycle_through(members, [&](std::uint64_t coro) {
            std::vector<std::uint64_t> next = wakers(*find(coro));
            std::erase_if(next, [&](std::uint64_t w) { return !contains(members, w); });
            return next;
        }));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace cogen::viz

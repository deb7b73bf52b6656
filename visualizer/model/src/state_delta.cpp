// StateDelta: diffing two states container by container, and applying the diff.
#include "cogen/viz/state_delta.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <span>

#include "cogen/viz/shared_loop.hpp"

namespace cogen::viz {
namespace {

using detail::KeyedChanges;

// The fields of ModelState that are not containers.
void copy_scalars(const ModelState& from, ModelState& to) {
    to.seq = from.seq;
    to.t_ns = from.t_ns;
    to.events_applied = from.events_applied;
    to.poll_ring = from.poll_ring;
    to.poll_count = from.poll_count;
    to.active_length = from.active_length;
    to.running = from.running;
    to.alive = from.alive;
    to.finished = from.finished;
    to.failed = from.failed;
    to.killed = from.killed;
    to.dropped_events = from.dropped_events;
    to.in_run = from.in_run;
    to.run_end_seq = from.run_end_seq;
    to.backend = from.backend;
}

// Two containers sorted by key, walked side by side.
template <class Key, class Value, class Container, class KeyOf>
void diff(const Container& from, const Container& to, KeyOf key_of, KeyedChanges<Key, Value>& out) {
    // From the empty first state (most checkpoints' base): every entry, sized at once.
    if (from.empty()) out.set.reserve(to.size());
    auto a = from.begin();
    auto b = to.begin();
    while (a != from.end() || b != to.end()) {
        if (b == to.end() || (a != from.end() && key_of(*a) < key_of(*b))) {
            out.erase.push_back(key_of(*a));
            ++a;
        } else if (a == from.end() || key_of(*b) < key_of(*a)) {
            out.set.push_back(Value(*b));
            ++b;
        } else {
            if (!(*a == *b)) out.set.push_back(Value(*b));
            ++a;
            ++b;
        }
    }
    out.set.shrink_to_fit();
    out.erase.shrink_to_fit();
}

// A vector sorted by key: overwrite in place, append past the end, and rebuild
// once only when entries come or go in the middle.
template <class Key, class T, class KeyOf>
void apply_sorted(std::vector<T>& items, const KeyedChanges<Key, T>& changes, KeyOf key_of) {
    const auto below = [&](const T& x, const Key& k) { return key_of(x) < k; };
    std::vector<T> inserted;
    for (const T& s : changes.set) {
        auto it = std::lower_bound(items.begin(), items.end(), key_of(s), below);
        if (it == items.end()) {
            items.push_back(s);
        } else if (key_of(*it) == key_of(s)) {
            *it = s;
        } else {
            inserted.push_back(s);
        }
    }
    if (inserted.empty() && changes.erase.empty()) return;
    std::vector<T> out;
    out.reserve(items.size() + inserted.size());
    auto in = inserted.begin();
    auto gone = changes.erase.begin();
    for (T& x : items) {
        while (in != inserted.end() && key_of(*in) < key_of(x)) out.push_back(*in++);
        while (gone != changes.erase.end() && *gone < key_of(x)) ++gone;
        if (gone != changes.erase.end() && *gone == key_of(x)) continue;
        out.push_back(std::move(x));
    }
    out.insert(out.end(), in, inserted.end());
    items = std::move(out);
}

// --- Coroutines: XOR patches ------------------------------------------------

// A coroutine's patch is the XOR of its two versions, a word at a time, with each word's
// leading zero bytes left out: its fields are mostly small integers (seqs, counts, ids),
// so a changed word is a few low bytes. Layout: the mask of the words that differ (8
// bytes, bit w = word w), their lengths in bytes (1..8, a nibble each, two to a byte, in
// word order), then each one's low bytes. No patch at all when the two are equal.
//
// (A byte-wise run-length code was the model build's costliest function at tens of
// thousands of live coroutines, every one encoded at every checkpoint, and came out
// larger: 20M events with 20,000 alive, checkpoints 539 -> 455 MB, the build a quarter
// faster.)
constexpr std::size_t coro_size = sizeof(CoroutineState);
constexpr std::size_t coro_words = coro_size / 8;
static_assert(coro_size % 8 == 0 && coro_words <= 64, "a patch's mask is one word");

inline std::uint64_t load_word(const unsigned char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

// Appends the patch that turns `before` into `after` (nothing when they are equal).
void encode_patch(const CoroutineState& before, const CoroutineState& after,
                  decltype(detail::CoroutinePatches::bytes)& out) {
    const auto* a = reinterpret_cast<const unsigned char*>(&before);
    const auto* b = reinterpret_cast<const unsigned char*>(&after);
    std::array<std::uint64_t, coro_words> x;
    std::uint64_t mask = 0;
    for (std::size_t w = 0; w < coro_words; ++w) {
        x[w] = load_word(a + w * 8) ^ load_word(b + w * 8);
        mask |= static_cast<std::uint64_t>(x[w] != 0) << w;
    }
    if (mask == 0) return;
    const auto words = static_cast<std::size_t>(std::popcount(mask));
    // Room for each word's 8 bytes stored whole (the next one overwrites the zeros).
    std::array<std::uint8_t, 8 + (coro_words + 1) / 2 + coro_size + 8> buf;
    std::memcpy(buf.data(), &mask, 8);
    std::uint8_t* lengths = buf.data() + 8;
    std::uint8_t* data = lengths + (words + 1) / 2;
    std::memset(lengths, 0, (words + 1) / 2);  // the nibbles are or-ed in
    std::size_t k = 0;
    for (std::uint64_t m = mask; m != 0; m &= m - 1, ++k) {
        const std::uint64_t v = x[static_cast<std::size_t>(std::countr_zero(m))];
        const auto length = static_cast<unsigned>(8 - std::countl_zero(v) / 8);
        lengths[k / 2] = static_cast<std::uint8_t>(lengths[k / 2] | length << (k % 2 * 4));
        std::memcpy(data, &v, 8);
        data += length;
    }
    out.insert(out.end(), buf.data(), data);
}

void apply_patch(const std::uint8_t* p, const std::uint8_t* end, CoroutineState& c) {
    if (p == end) return;
    auto* raw = reinterpret_cast<unsigned char*>(&c);  // trivially copyable: bytes are its value
    std::uint64_t mask;
    std::memcpy(&mask, p, 8);
    const std::uint8_t* lengths = p + 8;
    const std::uint8_t* data = lengths + (static_cast<std::size_t>(std::popcount(mask)) + 1) / 2;
    std::size_t k = 0;
    for (std::uint64_t m = mask; m != 0; m &= m - 1, ++k) {
        unsigned char* word = raw + static_cast<std::size_t>(std::countr_zero(m)) * 8;
        const std::size_t length = lengths[k / 2] >> (k % 2 * 4) & 15;
        std::uint64_t v = 0;
        if (end - data >= 8) {  // whole words while they lie inside the patch: no call
            std::memcpy(&v, data, 8);
            v &= ~std::uint64_t{0} >> (64 - 8 * length);
        } else {
            std::memcpy(&v, data, length);
        }
        data += length;
        v ^= load_word(word);
        std::memcpy(word, &v, 8);
    }
}

// The coroutines of `from` and `to` (both sorted by id) with ids in one range.
void diff_coroutines(std::span<const CoroutineState> from, std::span<const CoroutineState> to,
                     detail::CoroutinePatches& out) {
    const CoroutineState fresh{};
    const auto add = [&](const CoroutineState& before, const CoroutineState& after) {
        out.ids.push_back(after.id);
        encode_patch(before, after, out.bytes);
        out.ends.push_back(static_cast<std::uint32_t>(out.bytes.size()));
    };
    auto a = from.begin();
    auto b = to.begin();
    while (a != from.end() || b != to.end()) {
        if (b == to.end() || (a != from.end() && a->id < b->id)) {
            out.erase.push_back(a->id);
            ++a;
        } else if (a == from.end() || b->id < a->id) {
            add(fresh, *b);
            ++b;
        } else {
            if (!(*a == *b)) add(*a, *b);
            ++a;
            ++b;
        }
    }
}

// Piece `k` of `n`: the coroutines of `to` from index k * size on, and those of `from`
// with ids in the same range (the first piece from the lowest id, the last to the highest).
void diff_piece(const CoroutineVector& from, const CoroutineVector& to, std::size_t k,
                std::size_t n, std::size_t size, detail::CoroutinePatches& out) {
    const auto from_at = [&](std::size_t to_index) -> std::size_t {
        if (to_index == 0) return 0;
        if (to_index >= to.size()) return from.size();
        return static_cast<std::size_t>(lower_bound_id(from, to[to_index].id) - from.begin());
    };
    const std::size_t to_first = k * size;
    const std::size_t to_last = k + 1 == n ? to.size() : (k + 1) * size;
    const std::size_t from_first = from_at(to_first);
    const std::size_t from_last = k + 1 == n ? from.size() : from_at(to_last);
    diff_coroutines(std::span(from).subspan(from_first, from_last - from_first),
                    std::span(to).subspan(to_first, to_last - to_first), out);
}

// The pieces, one after the other, in vectors of their exact size.
void join_pieces(std::span<const detail::CoroutinePatches> pieces, detail::CoroutinePatches& out) {
    std::size_t ids = 0, bytes = 0, erase = 0;
    for (const auto& p : pieces) {
        ids += p.ids.size();
        bytes += p.bytes.size();
        erase += p.erase.size();
    }
    out.ids.reserve(ids);
    out.ends.reserve(ids);
    out.bytes.reserve(bytes);
    out.erase.reserve(erase);
    for (const auto& p : pieces) {
        const auto offset = static_cast<std::uint32_t>(out.bytes.size());
        out.ids.insert(out.ids.end(), p.ids.begin(), p.ids.end());
        for (const std::uint32_t end : p.ends) out.ends.push_back(offset + end);
        out.bytes.insert(out.bytes.end(), p.bytes.begin(), p.bytes.end());
        out.erase.insert(out.erase.end(), p.erase.begin(), p.erase.end());
    }
}

void apply_coroutines(CoroutineVector& items, const detail::CoroutinePatches& patches) {
    std::vector<CoroutineState> inserted;
    // From an empty state (a delta of the first checkpoint) every patch is a new
    // coroutine appended: room for all of them at once, and for the coroutines the
    // replay after it will spawn, not a reallocation per doubling.
    if (items.empty()) items.reserve(patches.ids.size() + patches.ids.size() / 8 + 16);
    std::uint32_t begin = 0;
    for (std::size_t i = 0; i < patches.ids.size(); ++i) {
        const std::uint8_t* p = patches.bytes.data() + begin;
        const std::uint8_t* end = patches.bytes.data() + patches.ends[i];
        begin = patches.ends[i];
        const std::uint64_t id = patches.ids[i];
        if (items.empty() || items.back().id < id) {
            // Past the last one (ids ascend): appended, no search.
            apply_patch(p, end, items.emplace_back());
            continue;
        }
        auto it = lower_bound_id(items, id);
        if (it->id == id) {
            apply_patch(p, end, *it);
            continue;
        }
        apply_patch(p, end, inserted.emplace_back());
    }
    if (inserted.empty() && patches.erase.empty()) return;
    CoroutineVector out;
    out.reserve(items.size() + inserted.size());
    auto in = inserted.begin();
    auto gone = patches.erase.begin();
    for (CoroutineState& x : items) {
        while (in != inserted.end() && in->id < x.id) out.push_back(*in++);
        while (gone != patches.erase.end() && *gone < x.id) ++gone;
        if (gone != patches.erase.end() && *gone == x.id) continue;
        out.push_back(x);
    }
    out.insert(out.end(), in, inserted.end());
    items = std::move(out);
}

template <class Map, class Key, class Value>
void apply_map(Map& items, const KeyedChanges<Key, Value>& changes) {
    for (const Key& k : changes.erase) items.erase(k);
    for (const auto& [k, v] : changes.set) items.insert_or_assign(k, v);
}

constexpr auto map_key = [](const auto& kv) { return kv.first; };
constexpr auto itself = [](const NameUse& u) { return u; };

}  // namespace

StateDelta StateDelta::between(const ModelState& from, const ModelState& to) {
    DeltaWorkspace work;
    return between(from, to, work);
}

StateDelta StateDelta::between(const ModelState& from, const ModelState& to, DeltaWorkspace& work) {
    StateDelta d;
    copy_scalars(to, d.m_scalars);
    // The coroutines (most of the work at tens of thousands of them): by pieces of ids,
    // shared with the workspace's other thread, if any.
    const std::size_t size = std::max<std::size_t>(1, work.piece);
    const std::size_t n = work.loop == nullptr
                              ? 1
                              : std::max<std::size_t>(1, (to.coroutines.size() + size - 1) / size);
    if (work.pieces.size() < n) work.pieces.resize(n);
    for (std::size_t k = 0; k < n; ++k) work.pieces[k].clear();
    if (n == 1) {
        diff_coroutines(from.coroutines, to.coroutines, work.pieces[0]);
    } else {
        work.loop->run(n, [&](std::size_t k) {
            diff_piece(from.coroutines, to.coroutines, k, n, size, work.pieces[k]);
        });
    }
    join_pieces(std::span(work.pieces).first(n), d.m_coroutines);
    diff(from.registrations, to.registrations, map_key, d.m_registrations);
    diff(from.timers, to.timers, map_key, d.m_timers);
    diff(from.queues, to.queues, map_key, d.m_queues);
    diff(from.last_signals, to.last_signals, map_key, d.m_last_signals);
    diff(from.signal_emitters, to.signal_emitters, itself, d.m_signal_emitters);
    diff(from.label_users, to.label_users, itself, d.m_label_users);
    diff(from.queue_putters, to.queue_putters, itself, d.m_queue_putters);
    diff(from.queue_getters, to.queue_getters, itself, d.m_queue_getters);
    return d;
}

void StateDelta::apply_to(ModelState& state) const {
    apply_coroutines(state.coroutines, m_coroutines);
    state.coroutine_index.clear();  // coroutines inserted or erased move the others
    apply_map(state.registrations, m_registrations);
    apply_map(state.timers, m_timers);
    apply_map(state.queues, m_queues);
    apply_map(state.last_signals, m_last_signals);
    apply_sorted(state.signal_emitters, m_signal_emitters, itself);
    apply_sorted(state.label_users, m_label_users, itself);
    apply_sorted(state.queue_putters, m_queue_putters, itself);
    apply_sorted(state.queue_getters, m_queue_getters, itself);
    copy_scalars(m_scalars, state);
}

std::size_t StateDelta::memory_bytes() const noexcept {
    return sizeof(*this) + m_coroutines.memory_bytes() + m_registrations.memory_bytes() +
           m_timers.memory_bytes() + m_queues.memory_bytes() + m_last_signals.memory_bytes() +
           m_signal_emitters.memory_bytes() + m_label_users.memory_bytes() +
           m_queue_putters.memory_bytes() + m_queue_getters.memory_bytes();
}

}  // namespace cogen::viz

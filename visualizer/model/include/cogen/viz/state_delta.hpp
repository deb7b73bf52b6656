// StateDelta: what changed between two ModelStates, as the entries to set and the
// keys to erase in each of the state's containers plus its scalar fields.
// TraceModel keeps most checkpoints as deltas of the previous one: at tens of
// thousands of live coroutines a full copy is megabytes, while the coroutines an
// interval of events touches are a few hundred.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "cogen/viz/huge_page_allocator.hpp"
#include "cogen/viz/model_state.hpp"

namespace cogen::viz {

class SharedLoop;
namespace detail {

/// One container's changes: entries to set (insert or overwrite) and keys to erase.
template <class Key, class Value>
struct KeyedChanges {
    std::vector<Value> set;  ///< by key, ascending
    std::vector<Key> erase;  ///< ascending
    std::size_t memory_bytes() const noexcept {
        return set.capacity() * sizeof(Value) + erase.capacity() * sizeof(Key);
    }
    bool operator==(const KeyedChanges&) const = default;
};

/// Changed coroutines, each stored as the bytes that differ from its previous
/// version (or from a default CoroutineState when new): the XOR of the two, a
/// word at a time, only the words that differ and only their low bytes.
struct CoroutinePatches {
    std::vector<std::uint64_t> ids;   ///< ascending
    std::vector<std::uint32_t> ends;  ///< end of each id's patch in `bytes`
    /// Each patch: the mask of the 8-byte words that differ, their lengths, their low
    /// bytes (the XOR's leading zero bytes left out); megabytes at thousands of live coroutines:
    /// huge pages for those (HugePageAllocator).
    std::vector<std::uint8_t, HugePageAllocator<std::uint8_t>> bytes;
    std::vector<std::uint64_t> erase;
    std::size_t memory_bytes() const noexcept {
        return ids.capacity() * 8 + ends.capacity() * 4 + bytes.capacity() + erase.capacity() * 8;
    }
    void clear() noexcept {
        ids.clear();
        ends.clear();
        bytes.clear();
        erase.clear();
    }
    bool operator==(const CoroutinePatches&) const = default;
};

}  // namespace detail

/// What StateDelta::between() may use, kept by a caller that encodes many deltas
/// (TraceModel's checkpoints): a second thread to take pieces of the coroutines, and the
/// buffers they are encoded into, reused from call to call (the delta itself is then
/// allocated once, at its size).
struct DeltaWorkspace {
    /// Set: the coroutines are encoded in pieces of `piece` coroutines (by id range), run by
    /// `loop` on this thread and on whichever thread helps it. The delta is the same.
    SharedLoop* loop = nullptr;
    std::size_t piece = 1024;
    std::vector<detail::CoroutinePatches> pieces;
};

static_assert(std::is_trivially_copyable_v<CoroutineState>,
              "StateDelta patches coroutines byte by byte");

/// The changes that turn one state into another.
///
///     StateDelta d = StateDelta::between(before, after);
///     ModelState s = before;
///     d.apply_to(s);   // s == after
class StateDelta {
  public:
    /// The delta from `from` to `to`. Both are states of one trace (containers
    /// sorted by key, as the reducer keeps them).
    static StateDelta between(const ModelState& from, const ModelState& to);
    /// The same delta, encoded with `work`'s buffers (and its second thread, if any).
    static StateDelta between(const ModelState& from, const ModelState& to, DeltaWorkspace& work);

    /// Turns `state` (equal to the `from` of between()) into its `to`.
    void apply_to(ModelState& state) const;

    /// Approximate heap bytes held.
    std::size_t memory_bytes() const noexcept;

    /// The same changes, encoded the same way.
    bool operator==(const StateDelta&) const = default;

  private:
    template <class Key, class Value>
    using Changes = detail::KeyedChanges<Key, Value>;

    ModelState m_scalars;  // `to`'s fields other than containers; containers empty
    detail::CoroutinePatches m_coroutines;
    Changes<std::uint64_t, std::pair<std::uint64_t, Registration>> m_registrations;
    Changes<std::uint64_t, std::pair<std::uint64_t, PendingTimer>> m_timers;
    Changes<std::uint32_t, std::pair<std::uint32_t, QueueRecord>> m_queues;
    Changes<std::uint32_t, std::pair<std::uint32_t, SignalRecord>> m_last_signals;
    Changes<NameUse, NameUse> m_signal_emitters;
    Changes<NameUse, NameUse> m_label_users;
    Changes<NameUse, NameUse> m_queue_putters;
    Changes<NameUse, NameUse> m_queue_getters;
};

}  // namespace cogen::viz

// TraceModel: the visualizer's replay model. It ingests trace events (live,
// one by one, or a whole TraceData), keeps the events (packed in columns), each
// coroutine's events and lane and the transitions (packed in DeltaLogs) and
// checkpoints of the state, and answers "what was the state at seq S" quickly by
// replaying from the nearest checkpoint. docs/visualizer-model.md.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cogen/instrument.hpp"
#include "cogen/trace/trace_data.hpp"
#include "cogen/viz/coroutine_history.hpp"
#include "cogen/viz/event_columns.hpp"
#include "cogen/viz/id_table.hpp"
#include "cogen/viz/model_state.hpp"
#include "cogen/viz/state_delta.hpp"
#include "cogen/viz/transition_log.hpp"

namespace cogen::viz {

class HelperThread;
class SharedLoop;

/// How often TraceModel keeps a checkpoint of the state.
///
///     TraceModel model{ModelOptions{.checkpoint_interval = 4096}};
///
/// A checkpoint is taken once at least `checkpoint_interval` events *and* at
/// least `state bytes / checkpoint_bytes_per_event` events have
/// passed since the previous one, but never more than `max_checkpoint_interval`
/// events: a seek replays a bounded number of events. Most checkpoints are
/// deltas (StateDelta) from the last full copy: the coroutines (only their
/// changed bytes), registrations, timers... that differ from it, so their size
/// follows what changed, not the number of coroutines alive. A new full copy is
/// taken when a delta would weigh half of one; rebuilding any checkpoint costs
/// one copy of the state and one delta.
///
/// Spaced by cost: the checkpoints may hold `checkpoint_budget_bytes`, or
/// `checkpoint_budget_per_event` bytes per event once that is more. When they
/// outgrow it, every other one is dropped and the spacing doubles (up to
/// `max_replay_events` between two checkpoints, the bound on what a seek
/// replays), so on a long trace their bytes per event fall as it grows.
///
/// A bounded window (attach and in-process modes, `cogen-trace stalls`): with
/// `keep_events` or `keep_bytes` set, the model keeps about that many of the
/// latest events (or that much memory) and lets the oldest fall off, a quarter
/// of the window at a time. latest() and every state are unaffected: the state
/// at the window's start becomes the first checkpoint, and coroutines that
/// ended before it are forgotten (ModelState::forget_ended_before), so memory
/// stays flat however long the run.
struct ModelOptions {
    std::size_t checkpoint_interval = 8192;
    std::size_t checkpoint_bytes_per_event = 128;
    std::size_t max_checkpoint_interval = 32768;
    std::size_t checkpoint_budget_bytes = std::size_t{128} << 20;
    std::size_t checkpoint_budget_per_event = 12;
    std::size_t max_replay_events = 262144;
    /// A state at seq X holds the coroutines that finished or were killed only while X is
    /// less than about this many seqs past their end (failed ones always: a later join
    /// decides a finding). Without it a state grows with every coroutine ever spawned, and
    /// so does every seek's copy and checkpoint. Their lanes, events and counts stay.
    /// 0 = keep them all.
    std::uint64_t ended_horizon = 65536;
    std::size_t keep_events = 0;  ///< keep about this many events; 0 = all
    std::size_t keep_bytes = 0;   ///< keep about this much memory (approx_bytes()); 0 = no cap
    /// 2: add_events() (and load()) replay the state, the lanes, the transitions and the
    /// checkpoints on a second thread while the calling one stores the events and logs
    /// the histories behind it; 1: everything on the calling thread. Same model either way.
    /// Unbounded models only (with keep_events or keep_bytes, one thread).
    unsigned build_threads = 2;
    /// ... once the latest state holds this many coroutines: below it an event's work is
    /// small and mostly cached, and a second thread costs the loader more than it saves.
    std::size_t build_threads_min_coroutines = 4096;
    /// With two threads, a checkpoint's coroutines are encoded in pieces of this many
    /// (by id range), taken by the replay thread and by the storing one once it has
    /// stored its events: same checkpoints, less of them on the replay's critical path.
    std::size_t build_threads_piece = 1024;
};

/// What approx_bytes() counts, part by part (cogen-bench-model prints them).
struct ModelMemory {
    std::size_t events = 0;            ///< the event columns
    std::size_t coroutine_events = 0;  ///< per-coroutine event indexes and lanes (one log each)
    std::size_t transitions = 0;       ///< the transitions log
    std::size_t op_chain = 0;          ///< op chain of the events that name no coroutine
    std::size_t coroutines = 0;        ///< per-coroutine bookkeeping (map nodes, ids)
    std::size_t checkpoints = 0;
    std::size_t latest = 0;  ///< the latest state
    std::size_t total() const noexcept {
        return events + coroutine_events + transitions + op_chain + coroutines + checkpoints +
               latest;
    }
};

/// The replay model.
///
///     cogen::viz::TraceModel model{trace_data};       // replay mode
///     ModelState s = model.state_at(slider_seq);      // any point, fast
///
///     model.add_string(id, text); model.add_event(e);  // live mode, per event
///     const ModelState& now = model.latest();
///
/// Not thread-safe: feed and read it from one thread (the GUI's). add_events() uses a
/// thread of its own inside the call, invisible to the caller.
class TraceModel {
  public:
    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

    explicit TraceModel(ModelOptions options = {});
    /// Loads a whole trace (same as load()).
    explicit TraceModel(const trace::TraceData& data, ModelOptions options = {});
    ~TraceModel();
    TraceModel(TraceModel&&) noexcept;
    TraceModel& operator=(TraceModel&&) noexcept;

    // --- Ingesting ---------------------------------------------------------

    /// Appends a whole trace: its header, strings and events.
    void load(const trace::TraceData& data);
    /// Announces an interned string (Instrument::on_string).
    void add_string(std::uint32_t id, std::string_view text);
    /// Appends one event. Returns false (and ignores it) when its seq does
    /// not follow the last one. A live feed's trace.heartbeat (seq 0, outside
    /// the numbering) is not stored: it only moves now_ns() forward.
    bool add_event(const TraceEvent& event);
    /// What add_events() appended.
    struct Appended {
        std::size_t events = 0;      ///< stored (add_event() returned true and kept it)
        std::uint64_t max_t_ns = 0;  ///< the latest time among them (0 = none)
    };
    /// Appends events in order, as add_event() would one by one, with the work split
    /// over two threads (ModelOptions::build_threads): the call returns once both are
    /// done, so the model is whole between calls. Worth it from a few hundred events.
    Appended add_events(std::span<const TraceEvent> events);
    void set_header(const trace::TraceHeader& header) { m_header = header; }
    /// Forgets everything (keeps the options).
    void clear();

    // --- The trace ---------------------------------------------------------

    const trace::TraceHeader& header() const noexcept { return m_header; }
    const trace::StringTable& strings() const noexcept { return m_strings; }
    /// The text of an interned string ("" for 0 or unknown ids); the view is
    /// valid until the next add_string().
    std::string_view text(std::uint32_t id) const noexcept { return m_strings.get(id); }
    /// The coroutine's name, or "coro-<id>" when it has none.
    std::string coro_name(std::uint64_t id) const;
    /// The events in the model (EventColumns: packed, decoded on access).
    EventsView events() const noexcept { return EventsView{m_events}; }
    std::size_t size() const noexcept { return m_events.size(); }
    bool empty() const noexcept { return m_events.empty(); }
    /// seq of the first / last event (0 when empty).
    std::uint64_t first_seq() const noexcept;
    std::uint64_t last_seq() const noexcept;
    /// seq of the last sched.run.end still in the model (0 = none): the "run-end" moment,
    /// asked every frame, without a scan.
    std::uint64_t last_run_end_seq() const noexcept { return m_last_run_end_seq; }
    /// seq of the last trace.drop at or before `seq` (0 = none): events were lost there
    /// (a ring that overflowed, a live viewer that fell behind).
    std::uint64_t last_gap_upto(std::uint64_t seq) const noexcept;
    /// Time of the last event (0 when empty).
    std::uint64_t last_t_ns() const noexcept;
    /// The latest time the trace vouches for: its last event's, or a later
    /// heartbeat's. What stall findings of a live feed are evaluated against.
    std::uint64_t now_ns() const noexcept { return std::max(last_t_ns(), m_heartbeat_t_ns); }
    /// Events refused by add_event (out of order).
    std::uint64_t rejected_events() const noexcept { return m_rejected; }
    /// Events that fell off a bounded window (ModelOptions::keep_events), and the seq of
    /// the last of them (0 = none fell off).
    std::uint64_t dropped_events() const noexcept { return m_base; }
    std::uint64_t dropped_upto_seq() const noexcept { return m_dropped_upto_seq; }
    /// Approximate heap bytes held: events, indexes, history and checkpoints.
    std::size_t approx_bytes() const noexcept;
    /// Of which the events themselves (packed in columns).
    std::size_t event_bytes() const noexcept { return m_events.memory_bytes(); }

    /// Index of the event with exactly this seq, or npos.
    std::size_t index_of(std::uint64_t seq) const noexcept;
    /// How many events have seq <= `seq` (the index just after them).
    std::size_t count_upto(std::uint64_t seq) const noexcept;
    /// The event with this seq, if the model holds it.
    std::optional<TraceEvent> find_event(std::uint64_t seq) const noexcept;

    // --- State at any point ------------------------------------------------

    /// The state after every event ingested so far.
    const ModelState& latest() const noexcept { return m_latest; }
    /// The state after the last event whose seq <= `seq` (empty state before
    /// the first event). Copies the nearest checkpoint and replays from it.
    ModelState state_at(std::uint64_t seq) const;
    /// Same, reusing `state`: when `state` came from this model and lies
    /// between the nearest checkpoint and `seq`, only the events in between are
    /// replayed (playback and small forward scrubs cost almost nothing).
    void seek(ModelState& state, std::uint64_t seq) const;
    /// A state at `seq` no longer holds the coroutines that finished or were killed
    /// before this seq (ModelOptions::ended_horizon; 0: none left out). Their lanes,
    /// events and names stay; latest() may hold them until the next checkpoint.
    std::uint64_t retired_before(std::uint64_t seq) const noexcept;
    std::size_t checkpoint_count() const noexcept { return m_checkpoints.size(); }
    /// Approximate bytes held by the checkpoints.
    std::size_t checkpoint_bytes() const noexcept;
    /// How many of the checkpoints are full copies (the rest are deltas; in a trimmed window
    /// the first ones may be deltas of a full copy from before the window, not counted).
    std::size_t full_checkpoint_count() const noexcept;

    // --- History -----------------------------------------------------------
    // Kept packed (DeltaLog: an entry is 1-3 bytes) and decoded on access; views
    // and vectors returned here are valid until the next add_event().

    /// Coroutine ids in order of first appearance.
    std::span<const std::uint64_t> coroutine_ids() const noexcept { return m_coro_order; }
    /// The coroutine's timeline lane over the whole trace (empty if unknown): a
    /// segment per change of its place, with the place's kind.
    LaneView lane(std::uint64_t coro) const noexcept;
    /// The coroutine's whole place after event `seq` (op, fd, label, target...), for
    /// a lane segment's details: a seek (state_at), so ask it once per hover, not per
    /// segment. A default Place when the coroutine is unknown at `seq`; only the kind
    /// (finished, killed) for one ended before the horizon (retired_before).
    Place place_at(std::uint64_t coro, std::uint64_t seq) const;
    /// Every change of place kind, in seq order (decodes them all: tests, exports).
    std::vector<Transition> transitions() const;
    /// The transitions of the events with after_seq < seq <= upto_seq.
    std::vector<Transition> transitions_between(std::uint64_t after_seq,
                                                std::uint64_t upto_seq) const;
    /// How many transitions_between() would return, without decoding them.
    std::size_t transition_count_between(std::uint64_t after_seq,
                                         std::uint64_t upto_seq) const noexcept;
    /// The transition made by event `seq`, if any.
    std::optional<Transition> transition_at(std::uint64_t seq) const;

    // --- Indexes (for queries such as why_woken) ---------------------------

    /// Indices (into events()) of the events naming this coroutine, ascending.
    CoroEvents events_of(std::uint64_t coro) const noexcept;
    /// Index of the previous event with the same op as events()[index], or npos.
    /// An op's events that name a coroutine are found among that coroutine's events
    /// (back to its previous op); those that name none are chained among themselves.
    std::size_t previous_of_op(std::size_t index) const noexcept;
    /// Index of the last event of this op, or npos. A scan from the end: for tests
    /// and one-off questions, not per frame.
    std::size_t last_of_op(std::uint64_t op) const noexcept;
    /// approx_bytes(), part by part.
    ModelMemory memory() const noexcept;

  private:
    // A checkpoint: the full state, or the delta from the previous checkpoint.
    struct Checkpoint {
        std::size_t events_applied = 0;
        std::uint64_t seq = 0;
        bool full = true;
        ModelState state;  // when full
        StateDelta delta;  // when not
        std::size_t memory_bytes() const noexcept {
            return full ? state.memory_bytes() : delta.memory_bytes();
        }
    };

    // A coroutine's history. `before`: the lane segment in effect at a window's start,
    // whose event fell off.
    struct alignas(64) CoroHistory {
        // Its events (global indexes); those that changed its place kind are marked
        // with the new kind + 1: its lane (LaneView).
        DeltaLog events{5};
        bool has_before = false;
        std::uint32_t name = 0;  // its spawn's name (a state past the horizon has it no more)
        LaneSegment before;
    };

    // Ingesting one event, in three parts: accept() decides (the seq order, heartbeats) and
    // moves the trace's last seq and time; store() keeps the event (its columns, the op
    // chain); replay_event() applies it to the latest state, logs it in its coroutine's
    // history (with the lane's mark) and the transitions, and takes the checkpoints.
    // add_events() runs them on two threads: the helper applies the events to the latest
    // state and takes the checkpoints, the caller stores the events and logs the histories
    // and transitions behind it (LaneNote); they share the checkpoint encodes (m_shared)
    // and nothing else they write.
    enum class Accept { store, skip, reject };
    // Spans shorter than this are not worth waking the helper for.
    static constexpr std::size_t parallel_min_events = 256;
    Accept accept(const TraceEvent& event);
    // Created on first mention (nullptr: 0); a spawn names it.
    CoroHistory* history_of(const TraceEvent& event);
    void store(const TraceEvent& event, std::uint64_t global);
    void replay_event(const TraceEvent& event, std::uint64_t global, CoroHistory* history);
    // replay_event() in two parts, which add_events() runs on two threads: what the event
    // did to its coroutine's place kind, then its history entry (marked when the kind
    // changed) and the transition that makes.
    struct LaneNote {
        bool changed = false;  // the place changed, or the coroutine is new
        bool first_seen = false;
        std::uint8_t from = 0, to = 0;  // PlaceKind
    };
    LaneNote apply_latest(const TraceEvent& event);
    void log_lane(LaneNote note, std::uint64_t global, CoroHistory* history);

    // Indices: `local` indexes m_events; ModelState::events_applied and the checkpoints
    // count `global` events (local + m_base, the events dropped off the window).
    void replay(ModelState& state, std::size_t upto_global) const;
    // Every state handed out forgets the coroutines that ended before the window or
    // before retired_before(its seq); the latest state forgets the second kind before each
    // checkpoint.
    void forget_retired(ModelState& state) const;
    // Whether `event` (just applied to m_latest) may have added a name use naming a
    // coroutine m_latest no longer holds.
    bool names_forgotten(const TraceEvent& event) const;
    void retire_latest();
    std::size_t checkpoint_for(std::size_t count_global) const;  // index into m_checkpoints
    void materialize(std::size_t checkpoint, ModelState& out) const;
    void maybe_checkpoint();
    // Appends `state` as a checkpoint (full or a delta of m_last_checkpoint).
    void push_checkpoint(const ModelState& state);
    // The first checkpoint of an empty list, a full copy or a delta of m_anchor: m_last_full
    // and m_checkpoint_bytes (the anchor's bytes counted while a delta needs it) start there.
    void begin_checkpoints(Checkpoint first);
    void maybe_trim();
    void trim(std::size_t drop);
    // Keeps every other checkpoint and doubles the spacing (the budget is spent).
    void thin_checkpoints();
    Transition transition_of(std::size_t local, PlaceKind from, PlaceKind to) const noexcept;

    std::size_t m_base = 0;
    std::uint64_t m_dropped_upto_seq = 0;
    std::size_t m_keep_by_bytes = 0;  // keep_bytes turned into events, refreshed at trims

    ModelOptions m_options;
    trace::TraceHeader m_header;
    trace::StringTable m_strings;
    EventColumns m_events;
    std::uint64_t m_last_seq = 0;  // of the last event (0 when empty)
    std::uint64_t m_last_t_ns = 0;
    // The op chain of events naming no coroutine: global index -> previous one, op ->
    // last one (the others are found through their coroutine's events).
    std::unordered_map<std::uint64_t, std::uint64_t> m_orphan_prev;
    std::unordered_map<std::uint64_t, std::uint64_t> m_orphan_last;
    std::vector<std::uint64_t> m_gap_seqs;  // of every trace.drop, ascending
    IdTable<CoroHistory> m_history;         // dense by id: no hash, nodes that do not move
    std::vector<std::uint64_t> m_coro_order;
    TransitionLog m_transitions;  // a tag per event kept (local index)
    // Written by add_events()' helper at every event while the calling thread writes the
    // members above: on a cache line of its own, or each write steals the line from the
    // other core (m_latest's counters shared a line with m_transitions': 100M events
    // took a fifth longer).
    alignas(64) ModelState m_latest;
    std::vector<Checkpoint> m_checkpoints;  // by events_applied; first: full, or m_anchor's delta
    // A trimmed window's first checkpoints may be deltas of a full copy that is no longer a
    // checkpoint (it fell before the window): the anchor. Empty while the first is full.
    ModelState m_anchor;
    static constexpr std::size_t no_full = ~std::size_t{0};
    std::size_t m_last_full = 0;         // index of the last full checkpoint (no_full: anchor)
    std::size_t m_checkpoint_bytes = 0;  // their memory_bytes(), summed, and the anchor's
    std::size_t m_spacing_floor = 0;     // raised by thin_checkpoints()
    std::size_t m_checkpoint_due = 0;    // no checkpoint is due before this many applied
    std::uint64_t m_latest_retired = 0;  // m_latest forgot the ended before this seq
    std::uint64_t m_latest_oldest_end = ~std::uint64_t{0};  // at most its oldest end's seq
    std::uint64_t m_rejected = 0;
    std::uint64_t m_last_run_end_seq = 0;
    std::uint64_t m_heartbeat_t_ns = 0;
    std::size_t m_pending = 0;               // accepted by add_events(), not stored yet
    std::unique_ptr<HelperThread> m_helper;  // add_events()' second thread, made on first use
    std::unique_ptr<SharedLoop> m_shared;    // checkpoint encodes the storing thread helps with
    DeltaWorkspace m_delta_work;             // their buffers (.loop set inside add_events())
};

}  // namespace cogen::viz

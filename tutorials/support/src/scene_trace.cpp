// SceneTrace and the ready-made matchers (tutorial/chapter.hpp).
#include <unordered_map>

#include "cogen/trace/text_render.hpp"
#include "tutorial/chapter.hpp"

namespace cogen::tutorial {

long long Stage::now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now()).count();
}

std::vector<Event> SceneTrace::events() const {
    const auto& d = data();
    // Names come from coro.spawn (text = name); an event refers to its coroutine by id.
    std::unordered_map<std::uint64_t, std::string_view> names;
    std::vector<Event> out;
    out.reserve(d.events.size());
    for (const TraceEvent& e : d.events) {
        if (e.kind == EventKind::coro_spawn) names[e.coro] = d.strings.get(e.text);
        const auto it = names.find(e.coro);
        out.push_back(Event{e, it == names.end() ? std::string_view{} : it->second,
                            d.strings.get(e.op_type), d.strings.get(e.text)});
    }
    return out;
}

std::vector<Event> SceneTrace::find(const EventMatch& match) const {
    std::vector<Event> out;
    for (const Event& e : events())
        if (match(e)) out.push_back(e);
    return out;
}

std::size_t SceneTrace::count(const EventMatch& match) const {
    return find(match).size();
}

std::vector<std::string> SceneTrace::lines(const EventMatch& match) const {
    // The renderer remembers names and ids as it goes: feed it every event, keep the matches.
    trace::TextRenderer renderer{data().strings};
    std::vector<std::string> out;
    for (const Event& e : events()) {
        std::string line = renderer.line(e.raw);
        if (match(e)) out.push_back(std::move(line));
    }
    return out;
}

std::string_view SceneTrace::coro_name(std::uint64_t coro) const {
    for (const TraceEvent& e : data().events)
        if (e.kind == EventKind::coro_spawn && e.coro == coro) return data().strings.get(e.text);
    return {};
}

namespace match {

EventMatch op_process(std::string coro, std::string op_type) {
    return [coro = std::move(coro), op_type = std::move(op_type)](const Event& e) {
        return e.is(EventKind::op_process) && (coro.empty() || e.coro == coro) &&
               (op_type.empty() || e.op_type == op_type);
    };
}

EventMatch op_process(std::string coro, std::string op_type, Outcome outcome) {
    return [any = op_process(std::move(coro), std::move(op_type)), outcome](const Event& e) {
        return any(e) && e.raw.a == static_cast<std::int64_t>(outcome);
    };
}

EventMatch signal_lost(std::string name) {
    return [name = std::move(name)](const Event& e) {
        return e.is(EventKind::signal_emit) && e.text == name && e.raw.a == 0 && e.raw.b == 0;
    };
}

EventMatch kind(EventKind kind, std::string coro) {
    return [kind, coro = std::move(coro)](const Event& e) {
        return e.is(kind) && (coro.empty() || e.coro == coro);
    };
}

}  // namespace match
}  // namespace cogen::tutorial

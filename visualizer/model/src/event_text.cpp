// Event text: coroutine references and wait targets in the model's words; the event line
// itself and durations are the tracer's (cogen/trace/event_text.hpp), shared with the text trace.
#include "cogen/viz/event_text.hpp"

#include "cogen/viz/model_state.hpp"
#include "cogen/viz/place.hpp"
#include "cogen/viz/trace_model.hpp"

namespace cogen::viz {
namespace {

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// The model as the tracer's renderer sees it: strings from its table, names of the
// coroutines it knows (no renumbering: the log shows the ids the trace carries).
class ModelNames final : public trace::EventNames {
  public:
    explicit ModelNames(const TraceModel& model) : m_model(model) {}
    std::string_view text(std::uint32_t id) const override { return m_model.text(id); }
    std::string_view coro_name(std::uint64_t coro) const override {
        const CoroutineState* c = m_model.latest().find(coro);
        return c ? m_model.text(c->name) : std::string_view{};
    }

  private:
    const TraceModel& m_model;
};

}  // namespace

std::string coro_ref(const TraceModel& model, std::uint64_t coro) {
    return quoted(model.coro_name(coro)) + " (coro " + std::to_string(coro) + ")";
}

std::string describe_event(const TraceModel& model, const TraceEvent& event) {
    ModelNames names{model};
    return trace::describe_event(event, names, trace::EventTextOptions{.measured = true});
}

std::string describe_details(const TraceModel& model, const TraceEvent& event) {
    ModelNames names{model};
    return trace::describe_details(event, names, trace::EventTextOptions{.measured = true});
}

std::string wait_target(const TraceModel& model, const Place& place) {
    std::string out;
    auto add = [&out](std::string_view s) {
        if (s.empty()) return;
        if (!out.empty()) out += ", ";
        out += s;
    };
    switch (place.kind) {
        case PlaceKind::proactor:
            add("fd " + std::to_string(place.fd) +
                (place.interest == FdInterest::none
                     ? std::string{}
                     : " " + std::string(to_string(place.interest))));
            break;
        case PlaceKind::signal:
            add("signal '" + std::string(model.text(place.label)) + "'");
            break;
        case PlaceKind::join:
        case PlaceKind::call:
            add(place.target
                    ? model.coro_name(place.target) + " (" + std::to_string(place.target) + ")"
                    : std::string(model.text(place.label)));
            break;
        case PlaceKind::queue:
        case PlaceKind::pubsub:
        case PlaceKind::pipe:
        case PlaceKind::other:
            add(std::string(to_string(place.kind).substr(5)) + " '" +
                std::string(model.text(place.label)) + "'");
            if (place.side == QueueSide::put) {
                add("put: holds " + std::to_string(place.queue_length) +
                    (place.queue_maxsize != 0 ? "/" + std::to_string(place.queue_maxsize) : ""));
            } else if (place.side == QueueSide::get) {
                add("get: holds " + std::to_string(place.queue_length));
            }
            break;
        case PlaceKind::io_ready:
            if (place.fd >= 0) add("fd " + std::to_string(place.fd));
            break;
        default:
            break;
    }
    if (place.timeout_ns > 0 && is_waiting(place.kind)) {
        add("timeout " + format_duration(static_cast<std::uint64_t>(place.timeout_ns)));
    }
    return out;
}

std::string op_text(const TraceModel& model, std::uint64_t op, std::uint32_t op_type) {
    if (op == 0) return {};
    std::string name{model.text(op_type)};
    if (name.empty()) name = "op";
    return name + " #" + std::to_string(op);
}

}  // namespace cogen::viz

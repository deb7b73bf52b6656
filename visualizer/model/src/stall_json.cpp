// to_json(Finding): a hand-written writer (the model has no JSON library), escaping as
// RFC 8259 asks.
#include "cogen/viz/stall_json.hpp"

#include <cstdio>

namespace cogen::viz {
namespace {

std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    return out + "\"";
}

class Object {
  public:
    Object& add(std::string_view key, const std::string& raw_json) {
        m_out += (m_out.size() > 1 ? "," : "") + quoted(key) + ":" + raw_json;
        return *this;
    }
    Object& str(std::string_view key, std::string_view value) { return add(key, quoted(value)); }
    Object& num(std::string_view key, std::uint64_t value) {
        return add(key, std::to_string(value));
    }
    Object& ids(std::string_view key, const std::vector<std::uint64_t>& values) {
        std::string list = "[";
        for (std::size_t i = 0; i < values.size(); ++i)
            list += (i ? "," : "") + std::to_string(values[i]);
        return add(key, list + "]");
    }
    std::string done() const { return m_out + "}"; }

  private:
    std::string m_out = "{";
};

std::string blame_json(const Blame& b) {
    Object o;
    if (b.op != 0) o.num("op", b.op);
    if (!b.op_type.empty()) o.str("op_type", b.op_type);
    if (b.fd >= 0) o.add("fd", std::to_string(b.fd));
    if (b.interest != FdInterest::none) o.str("interest", to_string(b.interest));
    if (!b.signal.empty()) o.str("signal", b.signal);
    if (b.last_sender != 0) {
        o.add("last_sender",
              Object{}.num("id", b.last_sender).str("name", b.last_sender_name).done());
    }
    if (b.joined != 0)
        o.add("joined", Object{}.num("id", b.joined).str("name", b.joined_name).done());
    if (!b.queue.empty()) o.str("queue", b.queue);
    if (b.queue_side != QueueSide::unknown) {
        o.str("queue_side", b.queue_side == QueueSide::put ? "put" : "get");
    }
    if (!b.queue.empty() && (b.queue_side != QueueSide::unknown || b.queue_length != 0)) {
        o.num("queue_length", b.queue_length).num("queue_maxsize", b.queue_maxsize);
    }
    if (b.bytes != 0) o.num("bytes", b.bytes);
    if (b.timeouts != 0) o.num("timeouts", b.timeouts);
    if (!b.others.empty()) o.ids("others", b.others);
    if (!b.consumers.empty()) o.ids("consumers", b.consumers);
    if (!b.error.empty()) o.str("error", b.error);
    return o.done();
}

}  // namespace

std::string to_json(const Finding& f) {
    Object o;
    o.str("kind", to_string(f.kind));
    o.add("coroutine", f.coro != 0 ? Object{}.num("id", f.coro).str("name", f.coro_name).done()
                                   : std::string("null"));
    o.add("blame", blame_json(f.blame));
    o.add("since", Object{}.num("seq", f.since_seq).num("t_ns", f.since_t_ns).done());
    o.num("duration_ns", f.duration_ns);
    if (!f.cycle.empty()) o.ids("cycle", f.cycle);
    o.str("sentence", f.explanation);
    return o.done();
}

}  // namespace cogen::viz

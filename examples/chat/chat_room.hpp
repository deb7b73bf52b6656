// The chat room of the chat examples: a Room of Members, each member a session
// coroutine (reads lines) and a writer coroutine fed by a Queue, so a slow member never
// blocks the others. Used by cogen-chat (examples/chat) and the main demo
// (examples/live_demo). docs/examples.md.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"

namespace chat {

using namespace std::chrono_literals;
namespace net = cogen::net;

struct Member {
    explicit Member(int n) : outbox{0, "outbox-" + std::to_string(n)} {}
    std::string name;
    cogen::Queue<std::string> outbox;  // lines to send; "" stops the writer
};

class Room {
  public:
    void join(std::shared_ptr<Member> m) { m_members.push_back(std::move(m)); }
    void leave(const Member& m) {
        std::erase_if(m_members, [&](const auto& p) { return p.get() == &m; });
    }
    /// Queue `line` for every member but `from` (a copy of the list: a put
    /// may let other coroutines run, and they may join or leave).
    cogen::Coro<> broadcast(const Member* from, std::string line) {
        const auto members = m_members;
        for (const auto& m : members) {
            if (m.get() != from) co_await m->outbox.put(line);
        }
    }
    std::string who() const {
        std::string names;
        for (const auto& m : m_members) names += (names.empty() ? "" : ", ") + m->name;
        return "* here: " + names + "\n";
    }

  private:
    std::vector<std::shared_ptr<Member>> m_members;
};

inline cogen::Coro<> writer(std::shared_ptr<Member> me, net::Socket& conn) {
    try {
        for (;;) {
            const std::string line = co_await me->outbox.get();
            if (line.empty()) co_return;
            co_await conn.sendall(line, 10s);
        }
    } catch (const cogen::SocketError&) {
        // The member is gone; its session notices on its next read.
    }
}

// One member (the n-th to connect): ask the name, then relay lines until "/quit" or
// disconnect. Its writer coroutine is "writer-n", its queue "outbox-n".
inline cogen::Coro<> session(Room& room, net::Socket conn, int n) {
    auto me = std::make_shared<Member>(n);
    const std::string writer_name = "writer-" + std::to_string(n);
    auto out = co_await cogen::AddCoro{writer(me, conn), {.name = writer_name}};
    try {
        co_await me->outbox.put("welcome! your name?\n");
        std::string name = co_await conn.readline(64, 60s);
        while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
        me->name = name.empty() ? "anonymous" : name;
        room.join(me);
        co_await cogen::Call{room.broadcast(me.get(), "* " + me->name + " joined\n"), "broadcast"};
        for (;;) {
            std::string line = co_await conn.readline(1024, 10min);
            while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
            if (line == "/quit") {
                co_await me->outbox.put("bye\n");
                break;
            }
            if (line == "/who") {
                co_await me->outbox.put(room.who());
            } else if (!line.empty()) {
                co_await cogen::Call{room.broadcast(me.get(), me->name + ": " + line + "\n"),
                                     "broadcast"};
            }
        }
    } catch (const cogen::ConnectionClosed&) {
    } catch (const cogen::OperationTimeout&) {
    }
    room.leave(*me);
    if (!me->name.empty())
        co_await cogen::Call{room.broadcast(me.get(), "* " + me->name + " left\n"), "broadcast"};
    co_await me->outbox.put("");  // stop the writer, then wait for it: it uses `conn`
    co_await cogen::Join{out};
}

// Accepts members until cancelled; the n-th member's session is "session-n (peer address)".
inline cogen::Coro<> serve(Room& room, net::Socket& listener) {
    for (int n = 1;; ++n) {
        auto [conn, peer] = co_await listener.accept(cogen::Timeout::never());
        const std::string name = "session-" + std::to_string(n) + " (" + peer.to_string() + ")";
        co_await cogen::AddCoro{session(room, std::move(conn), n), {.name = name}};
    }
}

}  // namespace chat

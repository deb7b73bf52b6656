// cogen-chat: a chat room over TCP. Each member has a reader coroutine (its
// session) and a writer coroutine fed by a Queue, so a slow member never
// blocks the others. docs/examples.md.
//
// usage: cogen-chat [--port P]      serve until Ctrl-C (try: nc 127.0.0.1 7001)
//        cogen-chat --script        serve, run three scripted members, exit
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = cogen::net;

struct Member {
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

cogen::Coro<> writer(std::shared_ptr<Member> me, net::Socket& conn) {
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

// One member: ask the name, then relay lines until "/quit" or disconnect.
cogen::Coro<> session(Room& room, net::Socket conn) {
    auto me = std::make_shared<Member>();
    auto out = co_await cogen::AddCoro{writer(me, conn)};
    try {
        co_await me->outbox.put("welcome! your name?\n");
        std::string name = co_await conn.readline(64, 60s);
        while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
        me->name = name.empty() ? "anonymous" : name;
        room.join(me);
        co_await cogen::Call{room.broadcast(me.get(), "* " + me->name + " joined\n")};
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
                co_await cogen::Call{room.broadcast(me.get(), me->name + ": " + line + "\n")};
            }
        }
    } catch (const cogen::ConnectionClosed&) {
    } catch (const cogen::OperationTimeout&) {
    }
    room.leave(*me);
    if (!me->name.empty())
        co_await cogen::Call{room.broadcast(me.get(), "* " + me->name + " left\n")};
    co_await me->outbox.put("");  // stop the writer, then wait for it: it uses `conn`
    co_await cogen::Join{out};
}

cogen::Coro<> serve(Room& room, net::Socket& listener) {
    for (;;) {
        auto [conn, peer] = co_await listener.accept(cogen::Timeout::never());
        co_await cogen::AddCoro{session(room, std::move(conn)), {.name = peer.to_string()}};
    }
}

// --script: one scripted member. Sends its lines with pauses, then reads
// everything the room sent it until the server closes.
cogen::Coro<> scripted(net::Address to, std::string name, std::chrono::milliseconds start,
                       std::vector<std::string> lines, std::string& transcript) {
    co_await cogen::Sleep{start};
    auto sock = net::Socket::tcp();
    co_await sock.connect(to, 2s);
    co_await sock.sendall(name + "\n");
    for (const std::string& line : lines) {
        co_await cogen::Sleep{80ms};
        co_await sock.sendall(line + "\n");
    }
    transcript = co_await sock.read(5s);  // until the server closes after "bye"
}

cogen::Scheduler* g_sched = nullptr;
void on_signal(int) {
    if (g_sched) g_sched->stop();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

int main(int argc, char** argv) {
    int port = 7001;
    bool script = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--port") && i + 1 < argc) {
            port = std::atoi(argv[++i]);
        } else if (!std::strcmp(argv[i], "--script")) {
            script = true;
        } else {
            std::fprintf(stderr, "usage: cogen-chat [--port P] [--script]\n");
            return 2;
        }
    }
    cogen::Scheduler sched;
    Room room;
    auto listener = net::Socket::tcp();
    listener.set_reuse_address();
    listener.bind(net::Address::ip("127.0.0.1", static_cast<std::uint16_t>(script ? 0 : port)));
    listener.listen();
    auto server = sched.add(serve(room, listener), {.name = "acceptor"});
    if (!script) {
        std::printf("chat on %s — connect with: nc 127.0.0.1 %u\n",
                    listener.local_address().to_string().c_str(), listener.local_address().port());
        std::fflush(stdout);
        g_sched = &sched;
        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        sched.run();
        return 0;
    }

    const auto to = listener.local_address();
    std::string alice;
    std::string bob;
    std::string carol;
    sched.add(scripted(to, "alice", 0ms, {"hi all", "", "", "/who", "", "/quit"}, alice));
    sched.add(scripted(to, "bob", 40ms, {"hello alice", "", "", "", "/quit"}, bob));
    sched.add(scripted(to, "carol", 120ms, {"", "hey both", "", "", "/quit"}, carol));
    auto stopper = [&]() -> cogen::Coro<> {
        co_await cogen::Sleep{1s};
        server.cancel();
    };
    sched.add(stopper());
    sched.run();
    std::printf("--- alice saw:\n%s--- bob saw:\n%s--- carol saw:\n%s", alice.c_str(), bob.c_str(),
                carol.c_str());
    const bool ok = contains(alice, "bob: hello alice") && contains(alice, "carol: hey both") &&
                    contains(alice, "* here: alice, bob, carol") &&
                    contains(bob, "alice: hi all") && contains(bob, "carol: hey both") &&
                    contains(carol, "* alice left") && contains(carol, "bye");
    std::printf("script: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

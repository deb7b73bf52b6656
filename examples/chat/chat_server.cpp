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

#include "chat_room.hpp"
#include "cogen/cogen.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = cogen::net;
using chat::Room;
using chat::serve;

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
        } else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::printf("usage: cogen-chat [--port P] [--script]\n");
            return 0;
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

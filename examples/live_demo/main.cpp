// cogen-demo: the README's main demo. A chat room (examples/chat/chat_room.hpp) with four
// scripted members talking over loopback TCP, and a stall planted later in the run: an
// archiver and an indexer that hand each other batches and acks until, from the third batch
// on, each waits for the other (a deadlock the stall view names). docs/examples.md.
//
// usage: cogen-demo [--trace FILE] [--headless] [--speed STEPS_PER_SECOND]
//                   [--screenshot OUT.png [--steps N] [--view VIEW]]
//
// With a display it opens the visualizer (cogen::viz::run_with_visualizer) and runs the
// scheduler at a gentle pace: pause, step, click a token. Without one (or with --headless) it
// runs to the end. Either way every transition is recorded to FILE (default
// cogen-demo.jsonl): open it again with `cogen-viz FILE`, or `cogen-trace stalls FILE`.
// --screenshot (tests, pictures) steps the scheduler in the visualizer without showing a
// window, N transitions (default: to the end), and writes that frame to OUT.png.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../chat/chat_room.hpp"
#include "cogen/cogen.hpp"
#include "cogen/trace/jsonl_writer.hpp"
#include "cogen/trace/trace_spec.hpp"
#include "cogen/viz/run_with_visualizer.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = cogen::net;

// One scripted member: joins after `start`, says its lines with pauses, quits, then reads
// what the room sent it until the server closes the connection. The timeouts are long: in
// the visualizer a learner may pause for a while.
cogen::Coro<> member(net::Address to, std::string name, std::chrono::milliseconds start,
                     std::vector<std::string> lines) {
    co_await cogen::Sleep{start};
    auto sock = net::Socket::tcp();
    co_await sock.connect(to, 60s);
    co_await sock.sendall(name + "\n");
    for (const std::string& line : lines) {
        co_await cogen::Sleep{200ms};
        co_await sock.sendall(line + "\n");
    }
    co_await sock.sendall("/quit\n");
    const std::string transcript = co_await sock.read(60s);  // until the server closes
    (void)transcript;
}

// The planted stall. The archiver hands the room's history to the indexer in batches and
// waits for each batch's ack. The indexer acks every batch — until a "batching" change makes
// it wait for two batches before acking, from the third on. Both wait without a timeout:
// archiver -> acks -> indexer -> batches -> archiver, a cycle neither can leave.
cogen::Coro<> archiver(cogen::Queue<std::string>& batches, cogen::Queue<int>& acks) {
    for (int n = 1;; ++n) {
        co_await cogen::Sleep{250ms};
        co_await batches.put("history batch " + std::to_string(n));
        const int acked = co_await acks.get();  // no timeout
        (void)acked;
    }
}

cogen::Coro<> indexer(cogen::Queue<std::string>& batches, cogen::Queue<int>& acks) {
    for (int n = 1;; ++n) {
        std::string batch = co_await batches.get();   // no timeout
        if (n >= 3) batch += co_await batches.get();  // the bug: wants two before it acks
        co_await acks.put(n);
    }
}

cogen::Coro<> demo(chat::Room& room, net::Socket& listener, cogen::Queue<std::string>& batches,
                   cogen::Queue<int>& acks) {
    auto acceptor = co_await cogen::AddCoro{chat::serve(room, listener), {.name = "acceptor"}};
    co_await cogen::AddCoro{archiver(batches, acks), {.name = "archiver"}};
    co_await cogen::AddCoro{indexer(batches, acks), {.name = "indexer"}};
    const net::Address at = listener.local_address();
    // (The scripts are locals, not braced lists in the calls: g++ 12 miscompiles braced
    // initializers as coroutine arguments.)
    const std::vector<std::string> alice = {"hi all", "anyone up for lunch?", "/who"};
    const std::vector<std::string> bob = {"hello alice", "sure, noon?"};
    const std::vector<std::string> carol = {"hey both", "count me in", "see you there"};
    const std::vector<std::string> dave = {"what did I miss?"};
    std::vector<cogen::CoroRef<void>> members;
    members.push_back(co_await cogen::AddCoro{member(at, "alice", 0ms, alice), {.name = "alice"}});
    members.push_back(co_await cogen::AddCoro{member(at, "bob", 150ms, bob), {.name = "bob"}});
    members.push_back(
        co_await cogen::AddCoro{member(at, "carol", 300ms, carol), {.name = "carol"}});
    members.push_back(co_await cogen::AddCoro{member(at, "dave", 600ms, dave), {.name = "dave"}});
    for (auto& m : members) co_await cogen::Join{m};
    acceptor.cancel();  // the room closes; archiver and indexer stay stuck
}

constexpr const char* usage_text =
    "usage: cogen-demo [--trace FILE] [--headless] [--speed STEPS_PER_S]\n"
    "                  [--screenshot OUT.png [--steps N] [--view VIEW]]\n";

int usage() {
    std::fputs(usage_text, stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string trace_path = "cogen-demo.jsonl";
    bool trace_given = false;
    bool headless = false;
    cogen::viz::VisualizerOptions options;
    options.title = "cogen-demo: a chat room with a planted stall";
    options.start_running = true;
    options.steps_per_second = 25;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::fputs(usage_text, stdout);
            return 0;
        } else if (!std::strcmp(argv[i], "--trace") && i + 1 < argc) {
            trace_path = argv[++i];
            trace_given = true;
        } else if (!std::strcmp(argv[i], "--headless")) {
            headless = true;
        } else if (!std::strcmp(argv[i], "--screenshot") && i + 1 < argc) {
            options.screenshot_png = argv[++i];
        } else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) {
            options.screenshot_after_steps = std::strtoull(argv[++i], nullptr, 10);
        } else if (!std::strcmp(argv[i], "--view") && i + 1 < argc) {
            options.screenshot_view = argv[++i];
        } else if (!std::strcmp(argv[i], "--speed") && i + 1 < argc) {
            options.steps_per_second = std::atof(argv[++i]);
        } else {
            return usage();
        }
    }

    // COGEN_TRACE (file, perfetto, live, ring), when set and no --trace is given, decides
    // where the trace goes, as for any cogen program; otherwise it is cogen-demo.jsonl.
    const char* env = std::getenv("COGEN_TRACE");
    const bool from_env = !trace_given && env != nullptr && *env != '\0';
    std::unique_ptr<cogen::Instrument> env_sink;
    std::unique_ptr<cogen::trace::JsonlWriter> file;
    if (from_env) {
        env_sink = cogen::trace::make_env_instrument();  // nullptr for "off" or a bad value
    } else {
        file = std::make_unique<cogen::trace::JsonlWriter>(trace_path);  // throws if it can't
    }
    cogen::Instrument* const sink = file ? file.get() : env_sink.get();
    cogen::viz::Capture capture{sink};  // the GUI sees the events, the sink too
    cogen::Scheduler::Options sched_options;
    sched_options.instrument = headless ? sink : &capture;
    cogen::Scheduler sched{sched_options};

    chat::Room room;
    auto listener = net::Socket::tcp();
    listener.bind(net::Address::ip("127.0.0.1", 0));
    listener.listen();
    cogen::Queue<std::string> batches{0, "batches"};
    cogen::Queue<int> acks{0, "acks"};
    sched.add(demo(room, listener, batches, acks), {.name = "demo"});

    if (headless) {
        sched.run();
    } else {
        // Without a display this says so and runs the scheduler to the end instead.
        cogen::viz::run_with_visualizer(sched, options);
    }
    if (file) {
        file->flush();
        std::printf("cogen-demo: trace written to %s (%llu events dropped)\n", trace_path.c_str(),
                    static_cast<unsigned long long>(file->dropped()));
    } else {
        std::printf("cogen-demo: trace sent where COGEN_TRACE=%s says\n", env);
    }
    return 0;
}

#include "cogen/net/send_all.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "support/all_proactors.hpp"
#include "support/recording_instrument.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Priority;
namespace net = cogen::net;

namespace {

// cogen's test_write_all: Send 1 MiB (partial), then SendAll 1 MiB, to a
// peer that reads 2 KiB, pauses, then drains.
void write_all(cogen::ProactorKind kind) {
    const bool multiplex_first = GENERATE(true, false);
    const Priority prio = GENERATE(Priority::LAST, Priority::CORO, Priority::OP, Priority::FIRST);
    INFO("multiplex_first=" << multiplex_first << " prio=" << cogen::to_string(prio));
    std::vector<std::string> errors;
    auto options = cogen::test::options_for(kind, multiplex_first, prio);
    options.error_sink = [&](std::string_view e) { errors.emplace_back(e); };
    cogen::Scheduler sched{options};
    auto listener = cogen::test::local_listener();
    const auto to = listener.local_address();
    const std::string mib(1 << 20, 'w');
    std::size_t n1 = 0;
    std::size_t n2 = 0;
    std::string received;

    auto writer = [&]() -> Coro<> {
        auto sock = net::Socket::tcp();
        sock.set_send_buffer_size(65536);
        co_await sock.connect(to, 500ms);
        n1 = co_await sock.send(mib, {}, prio);
        n2 = co_await sock.sendall(mib, {}, prio);
    };
    auto peer = [&]() -> Coro<> {
        auto [conn, from] = co_await listener.accept();
        received = co_await conn.read(2048, 2s);
        co_await cogen::Sleep{30ms};
        received += co_await conn.read(5s);
    };
    sched.add(writer());
    sched.add(peer());
    sched.run();

    CHECK(errors.empty());
    CHECK(n1 > 0);
    CHECK(n1 < mib.size());  // one send() into a 64 KiB buffer is partial
    CHECK(n2 == mib.size());
    CHECK(received.size() == n1 + n2);
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
}

// Weak timeouts are inactivity limits: a slow but steady reader keeps a
// weak sendall alive well past its timeout; a strong one expires.
void weak_timeout_rearmed_by_progress(cogen::ProactorKind kind) {
    const bool weak = GENERATE(true, false);
    INFO("weak=" << weak);
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    pair.client.set_send_buffer_size(8192);
    const std::string data(4 << 20, 's');
    bool timed_out = false;
    bool done = false;
    std::size_t sent_at_timeout = 0;
    std::size_t received = 0;
    auto writer = [&]() -> Coro<> {
        auto op = pair.client.sendall(data, cogen::Timeout{150ms, weak});
        try {
            co_await op;
            done = true;
        } catch (const cogen::OperationTimeout&) {
            timed_out = true;
            sent_at_timeout = op.sent();
        }
        pair.client.close();
    };
    auto reader = [&]() -> Coro<> {
        try {
            for (;;) {
                received += (co_await pair.server.recv(65536, 2s)).size();
                co_await cogen::Sleep{10ms};
            }
        } catch (const cogen::ConnectionClosed&) {
        }
    };
    sched.add(writer());
    sched.add(reader());
    sched.run();
    if (weak) {
        CHECK(done);
        CHECK(received == data.size());
    } else {
        CHECK(timed_out);
        CHECK(sent_at_timeout > 0);
        CHECK(sent_at_timeout < data.size());
    }
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
}

// Short writes under a tiny SO_SNDBUF: sendall needs many attempts, each a
// run() in the proactor, and every byte arrives in order. The reader is
// slower than the writer so that the writer really blocks.
void short_writes(cogen::ProactorKind kind) {
    cogen::test::RecordingInstrument rec;
    auto options = cogen::test::options_for(kind);
    options.instrument = &rec;
    cogen::Scheduler sched{options};
    auto pair = cogen::test::tcp_pair();
    pair.client.set_send_buffer_size(4096);  // (a tiny SO_RCVBUF would add 200 ms TCP stalls)
    std::string data;
    // ~1.1 MB: far more than loopback's buffers absorb while the reader naps, even when
    // a loaded machine stretches its 1 ms sleeps (290 KB once went through in 2 runs).
    for (int i = 0; i < 180000; ++i) data += std::to_string(i) + ",";
    std::size_t first_send = 0;
    std::string got;
    auto writer = [&]() -> Coro<> {
        first_send = co_await pair.client.send(data);
        co_await pair.client.sendall(std::string_view(data).substr(first_send));
        pair.client.shutdown(net::Shutdown::write);
    };
    auto reader = [&]() -> Coro<> {
        try {
            for (;;) {
                got += co_await pair.server.recv(8192, 5s);
                co_await cogen::Sleep{1ms};
            }
        } catch (const cogen::ConnectionClosed&) {
        }
    };
    sched.add(writer());
    sched.add(reader());
    sched.run();
    CHECK(first_send < data.size());
    CHECK(got == data);
    std::size_t sendall_runs = 0;
    for (const auto& e : rec.events()) {
        if (e.kind == cogen::EventKind::op_run && rec.str(e.op_type) == "SendAll") ++sendall_runs;
    }
    INFO("SendAll ran " << sendall_runs << " times");
    CHECK(sendall_runs >= 2);  // it parked and was run again: a short write was retried
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(write_all,
                         "test_write_all: send() may be partial, sendall() sends every byte",
                         "[upstream][net][op:sendall]")
COGEN_TEST_ALL_PROACTORS(weak_timeout_rearmed_by_progress,
                         "a weak sendall timeout is re-armed by progress: a strong one expires",
                         "[net][op:sendall][timeout]")
COGEN_TEST_ALL_PROACTORS(short_writes,
                         "short writes under a tiny SO_SNDBUF: sendall retries until every byte "
                         "arrived in order",
                         "[net][op:sendall][faults]")

#include "cogen/net/send_file.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <cstdio>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "support/all_proactors.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Priority;
namespace net = cogen::net;

namespace {

// cogen's test_sendfile. The makefile() write buffer is not ported (a
// Socket has a read buffer only), so the 8 "buffered" bytes are left out:
// the peer gets 1000 + 500 + 4 bytes.
void sendfile_upstream(cogen::ProactorKind kind) {
    const bool multiplex_first = GENERATE(true, false);
    const Priority prio = GENERATE(Priority::LAST, Priority::CORO, Priority::OP, Priority::FIRST);
    INFO("multiplex_first=" << multiplex_first << " prio=" << cogen::to_string(prio));
    cogen::Scheduler sched{cogen::test::options_for(kind, multiplex_first, prio)};
    std::FILE* f = std::tmpfile();
    REQUIRE(f);
    std::string content;
    for (int i = 0; i < 1000; ++i) content += static_cast<char>('a' + i % 26);
    std::fwrite(content.data(), 1, content.size(), f);
    std::rewind(f);
    auto pair = cogen::test::tcp_pair();
    std::size_t whole = 0;
    std::size_t from_position = 0;
    std::size_t tail = 0;
    long position_after = 0;
    std::string got;
    auto sender = [&]() -> Coro<> {
        whole = co_await pair.client.sendfile(f, 0, 1000, {}, prio);
        std::fseek(f, 500, SEEK_SET);
        from_position = co_await pair.client.sendfile(f, std::nullopt, std::nullopt, {}, prio);
        position_after = std::ftell(f);
        tail = co_await pair.client.send("tail", {}, prio);
        pair.client.shutdown(net::Shutdown::write);
    };
    auto reader = [&]() -> Coro<> { got = co_await pair.server.read(2s); };
    sched.add(sender());
    sched.add(reader());
    sched.run();
    std::fclose(f);
    CHECK(whole == 1000);
    CHECK(from_position == 500);
    CHECK(position_after == 1000);
    CHECK(tail == 4);
    CHECK(got == content + content.substr(500) + "tail");
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
}

void sendfile_fd_range(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    std::FILE* f = std::tmpfile();
    REQUIRE(f);
    std::string content(3 << 20, '\0');
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7);
    std::fwrite(content.data(), 1, content.size(), f);
    std::fflush(f);
    const int fd = ::fileno(f);
    auto pair = cogen::test::tcp_pair();
    std::size_t range = 0;
    std::size_t rest = 0;
    std::string got;
    auto sender = [&]() -> Coro<> {
        range = co_await pair.client.sendfile(fd, 100, 200, 2s);
        ::lseek(fd, 1000, SEEK_SET);
        rest = co_await pair.client.sendfile(fd, std::nullopt, std::nullopt, {5s, true});
        pair.client.shutdown(net::Shutdown::write);
    };
    auto reader = [&]() -> Coro<> { got = co_await pair.server.read(5s); };
    sched.add(sender());
    sched.add(reader());
    sched.run();
    std::fclose(f);
    CHECK(range == 200);
    CHECK(rest == content.size() - 1000);
    CHECK(got == content.substr(100, 200) + content.substr(1000));
}

void sendfile_to_closed_peer(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    std::FILE* f = std::tmpfile();
    REQUIRE(f);
    const std::string content(1 << 20, 'f');
    std::fwrite(content.data(), 1, content.size(), f);
    std::fflush(f);
    auto pair = cogen::test::tcp_pair();
    pair.server.close();
    int code = 0;
    auto sender = [&]() -> Coro<> {
        try {
            for (int i = 0; i < 64; ++i)
                co_await pair.client.sendfile(::fileno(f), 0, std::nullopt, 2s);
        } catch (const cogen::ConnectionClosed& e) {
            code = e.code().value();
        }
    };
    sched.add(sender());
    sched.run();  // SIGPIPE would kill the test process here
    std::fclose(f);
    CHECK((code == EPIPE || code == ECONNRESET));
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(sendfile_upstream,
                         "test_sendfile: offset and length, then from the file's position, then "
                         "a plain send",
                         "[upstream][net][op:sendfile]")
COGEN_TEST_ALL_PROACTORS(sendfile_fd_range,
                         "sendfile of a byte range and of a large rest through a small socket "
                         "buffer",
                         "[net][op:sendfile]")
COGEN_TEST_ALL_PROACTORS(sendfile_to_closed_peer,
                         "sendfile to a closed peer throws ConnectionClosed, never SIGPIPE",
                         "[net][op:sendfile][faults]")

// The command line of cogen-viz: modes, headless options, and clear errors for bad ones.
#include "command_line.hpp"

#include <catch2/catch.hpp>

using cogen::viz::CommandLine;
using cogen::viz::parse_command_line;
using cogen::viz::ViewId;

TEST_CASE("a file alone is a replay in a window", "[command-line]") {
    const CommandLine cl = parse_command_line({"run.jsonl"});
    CHECK(cl.error.empty());
    CHECK(cl.mode == CommandLine::Mode::replay);
    CHECK(cl.file == "run.jsonl");
    CHECK_FALSE(cl.headless);
    CHECK(cl.width == 1440);
}

TEST_CASE("headless takes the seq, the picture, the view and the size", "[command-line]") {
    const CommandLine cl =
        parse_command_line({"--headless", "--at", "42", "--png", "out.png", "--view", "timeline",
                            "--size", "800x600", "t.json"});
    CHECK(cl.error.empty());
    CHECK(cl.headless);
    REQUIRE(cl.at);
    CHECK(*cl.at == "42");
    CHECK(cl.png == "out.png");
    CHECK(cl.view == ViewId::timeline);
    CHECK(cl.width == 800);
    CHECK(cl.height == 600);
}

TEST_CASE("a moment can be named instead of a seq", "[command-line]") {
    for (const char* when : {"end", "run-end", "busiest"}) {
        const CommandLine cl =
            parse_command_line({"--headless", "--png", "o.png", "--at", when, "t.jsonl"});
        CHECK(cl.error.empty());
    }
    CHECK_FALSE(parse_command_line({"--at", "middle", "t.jsonl"}).error.empty());
}

TEST_CASE("headless defaults to 1280x800 and the whole GUI", "[command-line]") {
    const CommandLine cl = parse_command_line({"--headless", "--png", "o.png", "t.jsonl"});
    CHECK(cl.error.empty());
    CHECK(cl.view == ViewId::all);
    CHECK(cl.width == 1280);
    CHECK(cl.height == 800);
}

TEST_CASE("attach takes an address and no file", "[command-line]") {
    CHECK(parse_command_line({"--attach", "127.0.0.1:9000"}).error.empty());
    CHECK(parse_command_line({"--attach", "/tmp/feed.sock"}).address == "/tmp/feed.sock");
    CHECK_FALSE(parse_command_line({"--attach", "9000", "t.jsonl"}).error.empty());
    CHECK_FALSE(parse_command_line({"--attach"}).error.empty());
}

TEST_CASE("wrong arguments are errors that say what is wrong", "[command-line]") {
    CHECK(parse_command_line({}).error == "no trace file given");
    CHECK(parse_command_line({"--headless", "t.jsonl"}).error.find("--png") != std::string::npos);
    CHECK(parse_command_line({"--view", "pie", "t.jsonl"}).error.find("unknown view 'pie'") == 0);
    CHECK(parse_command_line({"--at", "x", "t.jsonl"}).error.find("--at") == 0);
    CHECK(parse_command_line({"--size", "10x10", "t.jsonl"}).error.find("--size") == 0);
    CHECK(parse_command_line({"--bogus", "t.jsonl"}).error == "unknown option --bogus");
    CHECK(parse_command_line({"a.jsonl", "b.jsonl"}).error.find("one trace file") == 0);
}

TEST_CASE("help wins over everything else", "[command-line]") {
    CHECK(parse_command_line({"--bogus", "--help"}).mode == CommandLine::Mode::help);
}

TEST_CASE("attach keeps a window: --keep N events or a size, 2GB by default", "[command-line]") {
    const CommandLine plain = parse_command_line({"--attach", "9000"});
    CHECK(plain.keep_events == 0);
    CHECK(plain.keep_bytes == std::size_t{2} << 30);
    const CommandLine events = parse_command_line({"--attach", "9000", "--keep", "1000000"});
    CHECK(events.error.empty());
    CHECK(events.keep_events == 1000000);
    CHECK(events.keep_bytes == 0);
    const CommandLine bytes = parse_command_line({"--attach", "9000", "--keep", "500MB"});
    CHECK(bytes.keep_events == 0);
    CHECK(bytes.keep_bytes == std::size_t{500} << 20);
    CHECK(parse_command_line({"--attach", "9000", "--keep", "4gb"}).keep_bytes == std::size_t{4}
                                                                                      << 30);
    const CommandLine all = parse_command_line({"--attach", "9000", "--keep", "all"});
    CHECK(all.keep_events == 0);
    CHECK(all.keep_bytes == 0);
    CHECK(parse_command_line({"--attach", "9000", "--keep", "lots"}).error.find("--keep") == 0);
    CHECK(parse_command_line({"--attach", "9000", "--keep", "2TB"}).error.find("--keep") == 0);
    CHECK(parse_command_line({"--keep", "10", "t.jsonl"}).error == "--keep is for --attach");
}

// Tests of SharedLoop: every iteration runs once, on either thread, whether the helper
// looks in while busy (help()), waits for loops (serve()) or never comes; an exception
// thrown by an iteration reaches the owner.
#include "cogen/viz/shared_loop.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <deque>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cogen/viz/helper_thread.hpp"

using cogen::viz::HelperThread;
using cogen::viz::SharedLoop;

namespace {

// Runs `loops` loops of `n` iterations on the owner's side; each iteration counts its runs
// and who ran it.
struct Counts {
    std::vector<std::atomic<int>> runs;
    std::atomic<std::size_t> by_helper{0};
    explicit Counts(std::size_t n) : runs(n) {}
};

void run_loops(SharedLoop& loop, std::size_t loops, std::size_t n, std::deque<Counts>& out,
               std::thread::id helper_id) {
    for (std::size_t l = 0; l < loops; ++l) {
        Counts& c = out[l];
        loop.run(n, [&](std::size_t i) {
            c.runs[i].fetch_add(1);
            if (std::this_thread::get_id() == helper_id) c.by_helper.fetch_add(1);
            // Long enough for the other thread to take some.
            volatile std::size_t spin = 0;
            for (std::size_t k = 0; k < 2000; ++k) spin = spin + k;
        });
    }
}

}  // namespace

TEST_CASE("A shared loop runs each iteration once with a serving helper",
          "[vizmodel][threads][shared_loop]") {
    constexpr std::size_t loops = 200;
    constexpr std::size_t n = 37;
    std::deque<Counts> counts;
    for (std::size_t l = 0; l < loops; ++l) counts.emplace_back(n);
    SharedLoop loop;
    HelperThread helper;
    std::atomic<std::thread::id> helper_id{};
    loop.open();
    helper.start([&] {
        helper_id = std::this_thread::get_id();
        loop.serve();
    });
    while (helper_id.load() == std::thread::id{}) std::this_thread::yield();
    run_loops(loop, loops, n, counts, helper_id.load());
    loop.close();
    helper.wait();
    std::size_t by_helper = 0;
    for (Counts& c : counts) {
        for (const auto& r : c.runs) REQUIRE(r.load() == 1);
        by_helper += c.by_helper.load();
    }
    // Not asserted to be above zero: a loaded machine may not schedule the helper at all.
    INFO(by_helper << " of " << loops * n << " iterations ran on the helper");
    SUCCEED();
}

TEST_CASE("A shared loop runs each iteration once with a helper that only looks in",
          "[vizmodel][threads][shared_loop]") {
    constexpr std::size_t loops = 100;
    constexpr std::size_t n = 9;
    std::deque<Counts> counts;
    for (std::size_t l = 0; l < loops; ++l) counts.emplace_back(n);
    SharedLoop loop;
    HelperThread helper;
    std::atomic<bool> stop{false};
    loop.open();
    helper.start([&] {
        while (!stop.load()) loop.help();  // busy with "its own work" in between
    });
    run_loops(loop, loops, n, counts, std::thread::id{});
    stop = true;
    helper.wait();
    for (Counts& c : counts)
        for (const auto& r : c.runs) REQUIRE(r.load() == 1);
}

TEST_CASE("A shared loop without a helper runs everything on its owner",
          "[vizmodel][threads][shared_loop]") {
    SharedLoop loop;
    std::vector<int> runs(50);
    loop.run(runs.size(), [&](std::size_t i) { ++runs[i]; });
    loop.run(0, [&](std::size_t) { FAIL("no iteration"); });
    for (const int r : runs) CHECK(r == 1);
}

TEST_CASE("An exception thrown by an iteration reaches the owner after the loop",
          "[vizmodel][threads][shared_loop]") {
    SharedLoop loop;
    HelperThread helper;
    loop.open();
    helper.start([&] { loop.serve(); });
    std::vector<std::atomic<int>> runs(40);
    CHECK_THROWS_AS(loop.run(runs.size(),
                             [&](std::size_t i) {
                                 runs[i].fetch_add(1);
                                 if (i % 7 == 3) throw std::runtime_error("piece failed");
                             }),
                    std::runtime_error);
    for (const auto& r : runs) CHECK(r.load() == 1);  // the others still ran
    // The loop is usable again.
    std::atomic<int> later{0};
    loop.run(10, [&](std::size_t) { later.fetch_add(1); });
    CHECK(later.load() == 10);
    loop.close();
    helper.wait();
}

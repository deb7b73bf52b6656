// Tests of DeltaLog: values and tags come back as pushed across blocks, searches
// find the first entry at or after a value, a window's trim keeps the rest.
#include "cogen/viz/delta_log.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <vector>

using cogen::viz::DeltaLog;

namespace {

struct Pushed {
    std::uint64_t value;
    std::uint32_t tag;
};

std::vector<Pushed> random_entries(std::size_t n, unsigned tag_bits) {
    std::mt19937_64 rng(5);
    std::vector<Pushed> out;
    std::uint64_t v = 1000;
    for (std::size_t i = 0; i < n; ++i) {
        // Mostly small steps, some repeats, a few huge jumps (multi-byte varints).
        const std::uint64_t r = rng() % 100;
        v += r < 10 ? 0 : r < 95 ? rng() % 300 : rng() % (std::uint64_t{1} << 40);
        out.push_back({v, static_cast<std::uint32_t>(rng() & ((1u << tag_bits) - 1))});
    }
    return out;
}

}  // namespace

TEST_CASE("A DeltaLog gives back every value and tag pushed", "[vizmodel][delta_log]") {
    const auto entries = random_entries(1000, 10);
    DeltaLog log{10};
    for (const Pushed& e : entries) log.push_back(e.value, e.tag);
    REQUIRE(log.size() == entries.size());
    DeltaLog::Decoded cache;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        INFO("entry " << i);
        CHECK(log[i].value == entries[i].value);
        CHECK(log[i].tag == entries[i].tag);
        CHECK(log.at(i, cache).value == entries[i].value);
    }
    // Read backwards through the cache too.
    for (std::size_t i = entries.size(); i-- > 0;) CHECK(log.at(i, cache).tag == entries[i].tag);
    CHECK(log.back().value == entries.back().value);
    CHECK(log.memory_bytes() < entries.size() * 8);  // packed, not 16 B per entry
}

TEST_CASE("DeltaLog searches agree with std::lower_bound and std::upper_bound",
          "[vizmodel][delta_log]") {
    const auto entries = random_entries(700, 0);
    DeltaLog log;
    std::vector<std::uint64_t> values;
    for (const Pushed& e : entries) {
        log.push_back(e.value);
        values.push_back(e.value);
    }
    std::mt19937_64 rng(3);
    std::vector<std::uint64_t> probes = {0, values.front(), values.back(), values.back() + 1};
    for (int i = 0; i < 300; ++i) probes.push_back(values[rng() % values.size()] + rng() % 3 - 1);
    for (std::uint64_t probe : probes) {
        INFO("probe " << probe);
        CHECK(log.lower_bound(probe) ==
              static_cast<std::size_t>(std::lower_bound(values.begin(), values.end(), probe) -
                                       values.begin()));
        CHECK(log.upper_bound(probe) ==
              static_cast<std::size_t>(std::upper_bound(values.begin(), values.end(), probe) -
                                       values.begin()));
    }
    CHECK(DeltaLog{}.lower_bound(5) == 0);
}

TEST_CASE("DeltaLog::drop_below keeps the entries from a value on", "[vizmodel][delta_log]") {
    DeltaLog log{5};
    for (std::uint64_t v = 0; v < 200; ++v)
        log.push_back(v * 3, static_cast<std::uint32_t>(v % 17));
    log.drop_below(301);  // 303 is the first kept
    REQUIRE(log.size() == 99);
    CHECK(log[0].value == 303);
    CHECK(log[0].tag == 101 % 17);
    CHECK(log.back().value == 597);
    log.push_back(600, 1);  // still appends after a trim
    CHECK(log[99].value == 600);
    log.drop_below(1000);
    CHECK(log.empty());
}

TEST_CASE("A DeltaLog's marked entries read as a sequence of their own", "[vizmodel][delta_log]") {
    // Marks in runs and gaps: whole blocks without one, blocks full of them.
    const auto entries = random_entries(2000, 5);
    DeltaLog log{5};
    std::vector<Pushed> marked;
    std::vector<std::size_t> marked_before{0};  // marked entries among the first i
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const bool mark =
            (i / 100) % 3 == 1 ? false : (i / 100) % 3 == 2 || entries[i].tag % 4 != 0;
        const std::uint32_t tag = mark ? (entries[i].tag == 0 ? 1 : entries[i].tag) : 0;
        log.push_back(entries[i].value, tag);
        if (mark) marked.push_back({entries[i].value, tag});
        marked_before.push_back(marked.size());
    }
    REQUIRE(log.marked() == marked.size());
    DeltaLog::Decoded cache;
    for (std::size_t j = 0; j < marked.size(); ++j) {
        INFO("marked entry " << j);
        const DeltaLog::Entry e = log.marked_at(j, cache);
        CHECK(e.value == marked[j].value);
        CHECK(e.tag == marked[j].tag);
    }
    // Random order, and the plain reads through the same cache in between.
    std::mt19937_64 rng(11);
    for (int k = 0; k < 500; ++k) {
        const std::size_t j = rng() % marked.size();
        CHECK(log.marked_at(j, cache).value == marked[j].value);
        const std::size_t i = rng() % entries.size();
        CHECK(log.at(i, cache).value == entries[i].value);
    }
    for (std::size_t i = 0; i <= entries.size(); i += 7) {
        INFO("first " << i);
        CHECK(log.marked_before(i) == marked_before[i]);
    }
    CHECK(log.marked_before(entries.size()) == marked.size());

    // A window's trim keeps the marks of what stays.
    const std::uint64_t cut = entries[1234].value;
    const std::size_t first_kept = log.lower_bound(cut);
    log.drop_below(cut);
    CHECK(log.marked() == marked.size() - marked_before[first_kept]);
    CHECK(log.marked_at(0, cache).value == marked[marked_before[first_kept]].value);
    log.clear();
    CHECK(log.marked() == 0);
}

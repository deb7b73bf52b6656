// Tests of IdTable: against a std::map under random operations (dense runs of ids, ids far
// away, spread-out ids, erasures), values that never move, and a table that follows a
// sliding window of ids in bounded memory.
#include "cogen/viz/id_table.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <random>

using cogen::viz::IdTable;

namespace {

struct Value {
    std::uint64_t id = 0;
    int touched = 0;
};

void check_same(const IdTable<Value>& table, const std::map<std::uint64_t, Value*>& oracle) {
    REQUIRE(table.size() == oracle.size());
    std::map<std::uint64_t, const Value*> seen;
    table.for_each([&](std::uint64_t id, const Value& v) {
        CHECK(v.id == id);
        CHECK(seen.emplace(id, &v).second);
    });
    REQUIRE(seen.size() == oracle.size());
    for (const auto& [id, v] : oracle) {
        CHECK(table.find(id) == v);  // the same object: values do not move
        CHECK(seen.at(id) == v);
    }
}

}  // namespace

TEST_CASE("An IdTable finds, makes and erases as a map does, and values stay put",
          "[vizmodel][id_table]") {
    std::mt19937_64 rng(7);
    IdTable<Value> table;
    std::map<std::uint64_t, Value*> oracle;
    std::uint64_t next = 1;
    for (int step = 0; step < 20000; ++step) {
        const auto r = rng() % 100;
        std::uint64_t id = 0;
        if (r < 60) {
            id = next++;  // handed out in order
        } else if (r < 70) {
            id = 1 + rng() % next;  // an old one again
        } else if (r < 75) {
            id = rng();  // anywhere
        } else if (r < 80) {
            id = next + 1000 * (rng() % 50);  // spread out ahead
        } else {
            if (oracle.empty()) continue;
            auto it = oracle.lower_bound(1 + rng() % next);
            if (it == oracle.end()) it = oracle.begin();
            const std::uint64_t gone = it->first;
            oracle.erase(it);
            table.erase(gone);
            CHECK(table.find(gone) == nullptr);
            continue;
        }
        auto [v, made] = table.try_emplace(id);
        REQUIRE(v != nullptr);
        CHECK(made == (oracle.count(id) == 0));
        if (made) {
            CHECK(v->id == 0);  // a default value, even in a slot used before
            CHECK(v->touched == 0);
            v->id = id;
            oracle.emplace(id, v);
        } else {
            CHECK(oracle.at(id) == v);
        }
        ++v->touched;
        if (step % 2500 == 0) check_same(table, oracle);
    }
    check_same(table, oracle);
    // Ids handed out in order stayed in the blocks; far and spread-out ones went to the map.
    CHECK(table.sparse_size() > 0);
    CHECK(table.sparse_size() < table.size() / 2);
    std::size_t erased = 0;
    table.erase_if([&](std::uint64_t id, Value&) {
        if (id % 3 != 0) return false;
        ++erased;
        oracle.erase(id);
        return true;
    });
    CHECK(erased > 0);
    check_same(table, oracle);
}

TEST_CASE("An IdTable of spread-out ids keeps its blocks mostly full", "[vizmodel][id_table]") {
    IdTable<Value> table;
    for (std::uint64_t k = 1; k <= 5000; ++k) table.try_emplace(k * 100).first->id = k * 100;
    CHECK(table.size() == 5000);
    // A few blocks, then the hash map: not a block of 64 slots per value.
    CHECK(table.sparse_size() > 4900);
    CHECK(table.memory_bytes() < 5000 * (sizeof(Value) + 64) + 64 * 1024);
    for (std::uint64_t k = 1; k <= 5000; ++k) REQUIRE(table.find(k * 100)->id == k * 100);
}

TEST_CASE("An IdTable under a sliding window of ids holds memory flat", "[vizmodel][id_table]") {
    IdTable<Value> table;
    constexpr std::uint64_t window = 3000;
    std::size_t most = 0;
    for (std::uint64_t id = 1'000'000; id < 1'200'000; ++id) {
        table.try_emplace(id).first->id = id;
        if (id >= 1'000'000 + window) table.erase(id - window);
        most = std::max(most, table.memory_bytes());
        if (id % 20000 == 0) REQUIRE(table.size() == std::min<std::uint64_t>(window, id - 999'999));
    }
    CHECK(table.sparse_size() == 0);  // all in blocks, though ids began far from 0
    CHECK(most < 2 * window * sizeof(Value) + 64 * 1024);
    for (std::uint64_t id = 1'200'000 - window; id < 1'200'000; ++id)
        REQUIRE(table.find(id)->id == id);
    CHECK(table.find(1'200'000 - window - 1) == nullptr);
}

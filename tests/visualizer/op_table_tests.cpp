// Tests of OpTable, the state's op-keyed records: a map in op order whatever the order of
// insertions and erasures, equal when the records are.
#include "cogen/viz/op_table.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <random>

using cogen::viz::OpTable;

namespace {

std::map<std::uint64_t, int> as_map(const OpTable<int>& t) {
    std::map<std::uint64_t, int> out;
    for (const auto& [op, v] : t) CHECK(out.emplace(op, v).second);
    return out;
}

}  // namespace

TEST_CASE("An OpTable finds, replaces and erases records like a map", "[vizmodel][optable]") {
    OpTable<int> t;
    CHECK(t.empty());
    CHECK(t.try_emplace(5, 50) == 50);
    CHECK(t.try_emplace(5, 51) == 50);  // already there
    t.insert_or_assign(9, 90);
    t.insert_or_assign(7, 70);  // before the last: inserted in order
    t.insert_or_assign(9, 91);
    CHECK(t.size() == 3);
    REQUIRE(t.find(9) != nullptr);
    CHECK(*t.find(9) == 91);
    CHECK(t.find(6) == nullptr);
    CHECK(as_map(t) == std::map<std::uint64_t, int>{{5, 50}, {7, 70}, {9, 91}});
    CHECK(t.erase(7) == 1);
    CHECK(t.erase(7) == 0);
    CHECK(t.erase(100) == 0);
    CHECK_FALSE(t.contains(7));
    CHECK(t.size() == 2);
    CHECK(t.try_emplace(7, 72) == 72);  // an erased op comes back with the new value
    CHECK(as_map(t) == std::map<std::uint64_t, int>{{5, 50}, {7, 72}, {9, 91}});
}

TEST_CASE("An OpTable stays a map through random inserts and erasures", "[vizmodel][optable]") {
    OpTable<int> t;
    std::map<std::uint64_t, int> reference;
    std::mt19937_64 rng(7);
    std::uint64_t next_op = 1;
    for (int i = 0; i < 20000; ++i) {
        const auto roll = rng() % 10;
        if (roll < 5) {  // a new op, mostly the newest
            const std::uint64_t op = roll == 0 ? rng() % (next_op + 1) + 1 : ++next_op;
            t.insert_or_assign(op, i);
            reference.insert_or_assign(op, i);
        } else if (!reference.empty()) {  // erase one that exists, or not
            const std::uint64_t op = rng() % (next_op + 2);
            CHECK(t.erase(op) == reference.erase(op));
        }
        if (i % 997 == 0) {
            REQUIRE(t.size() == reference.size());
            CHECK(as_map(t) == reference);
        }
    }
    CHECK(as_map(t) == reference);
}

TEST_CASE("OpTables with the same records are equal, whatever was erased on the way",
          "[vizmodel][optable]") {
    OpTable<int> a;
    OpTable<int> b;
    for (std::uint64_t op = 1; op <= 200; ++op) a.insert_or_assign(op, 1);
    for (std::uint64_t op = 1; op <= 199; ++op) a.erase(op);  // compacted on the way
    b.insert_or_assign(200, 1);
    CHECK(a == b);
    b.insert_or_assign(200, 2);
    CHECK_FALSE(a == b);
    a.erase(200);
    CHECK(a.empty());
    CHECK_FALSE(a == b);
}

// A lookup finds its block of 64 keys through the fences, then guesses inside the block from
// the op's place between the block's first key and the next block's. Keys spread unevenly
// (runs, huge gaps, one key far beyond the rest) make the guesses bad: the steps from them
// must still land on the right slot, for ops held, erased and never there.
TEST_CASE("An OpTable finds every op whatever the spread of the ops", "[vizmodel][optable]") {
    OpTable<int> t;
    std::map<std::uint64_t, int> reference;
    std::uint64_t op = 1;
    for (int i = 0; i < 3000; ++i) {
        op += i % 500 < 400 ? 1 : (std::uint64_t{1} << (i % 40));  // runs, then jumps
        t.insert_or_assign(op, i);
        reference.emplace(op, i);
    }
    t.insert_or_assign(std::uint64_t{1} << 62, -1);  // far beyond the rest
    reference.emplace(std::uint64_t{1} << 62, -1);
    int erased = 0;
    for (auto it = reference.begin(); it != reference.end();) {  // every seventh goes
        if (++erased % 7 == 0) {
            CHECK(t.erase(it->first) == 1);
            it = reference.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [key, value] : reference) {
        REQUIRE(t.find(key) != nullptr);
        CHECK(*t.find(key) == value);
        CHECK_FALSE(t.contains(key + 1) != reference.contains(key + 1));
        CHECK_FALSE(t.contains(key - 1) != reference.contains(key - 1));
    }
    CHECK(t.find(0) == nullptr);
    CHECK(t.find(~std::uint64_t{0}) == nullptr);
    CHECK(as_map(t) == reference);
}

TEST_CASE(
    "An OpTable's index survives popped ops, ops brought back and ops alike in their low bits",
    "[vizmodel][optable]") {
    OpTable<int> t;
    std::map<std::uint64_t, int> reference;
    const auto check = [&] {
        for (const auto& [key, value] : reference) {
            INFO("op " << key);
            REQUIRE(t.find(key) != nullptr);
            CHECK(*t.find(key) == value);
        }
        CHECK(as_map(t) == reference);
    };
    const std::uint64_t high = std::uint64_t{1} << 32;  // same low 32 bits as op - high
    std::mt19937_64 rng(17);
    for (int round = 0; round < 200; ++round) {
        // A few new ops (some twins of older ones in their low bits), then the latest few
        // erased (popped off the end: their index entries go stale), some brought back.
        for (int k = 0; k < 12; ++k) {
            const std::uint64_t op =
                1000 + static_cast<std::uint64_t>(round) * 16 + k + (k % 3 == 0 ? high : 0);
            t.insert_or_assign(op, round * 100 + k);
            reference[op] = round * 100 + k;
        }
        const std::size_t pops = rng() % 6;
        for (std::size_t k = 0; k < pops && !reference.empty(); ++k) {
            const auto last = std::prev(reference.end());
            CHECK(t.erase(last->first) == 1);
            CHECK_FALSE(t.contains(last->first));
            if (rng() % 2 == 0) {  // back again at once, same op id
                t.try_emplace(last->first, -round);
                last->second = -round;
            } else {
                reference.erase(last);
            }
        }
        // An erasure in the middle now and then (marks; compacts at half).
        if (round % 5 == 0 && reference.size() > 4) {
            auto it = reference.begin();
            std::advance(it, static_cast<std::ptrdiff_t>(rng() % reference.size()));
            CHECK(t.erase(it->first) == 1);
            reference.erase(it);
        }
        check();
    }
    for (const auto& [key, value] : reference) {  // a twin that was never inserted
        if ((key & (high - 1)) == key)
            CHECK_FALSE(t.contains(key + high) != reference.contains(key + high));
    }
}

// Tests of CoroutineIndex: the (id, slot) cache of a state's coroutines finds every one
// whether the ids are dense or not, and a slot moved behind its back is a miss, not a
// wrong answer.
#include "cogen/viz/coroutine_index.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "cogen/viz/model_state.hpp"

using cogen::viz::CoroutineIndex;
using cogen::viz::CoroutineState;
using cogen::viz::ModelState;

namespace {

std::vector<CoroutineState> with_ids(const std::vector<std::uint64_t>& ids) {
    std::vector<CoroutineState> out;
    for (const std::uint64_t id : ids) out.push_back(CoroutineState{.id = id});
    return out;
}

}  // namespace

TEST_CASE("Dense ids are found by their offset, without building an index",
          "[vizmodel][coroutine_index]") {
    const auto sorted = with_ids({10, 11, 12, 13, 14});
    CoroutineIndex index;
    for (std::size_t slot = 0; slot < sorted.size(); ++slot)
        CHECK(index.find_and_remember(sorted, sorted[slot].id) == slot);
    CHECK(index.find(sorted, 9) == sorted.size());
    CHECK(index.find(sorted, 15) == sorted.size());
    CHECK(index.memory_bytes() == 0);
}

TEST_CASE("Ids with gaps are indexed at the first search and found through the cache",
          "[vizmodel][coroutine_index]") {
    std::vector<std::uint64_t> ids;
    for (std::uint64_t id = 1; id < 3000; id += 1 + id % 7) ids.push_back(id);
    const auto sorted = with_ids(ids);
    CoroutineIndex index;
    CHECK(index.find_and_remember(sorted, ids[500]) == 500);
    CHECK(index.memory_bytes() > 0);
    for (std::size_t slot = 0; slot < sorted.size(); ++slot) {
        CHECK(index.find(sorted, ids[slot]) == slot);
        CHECK(index.likely(sorted, ids[slot]) == slot);
    }
    CHECK(index.find(sorted, 2) == sorted.size());  // in a gap
    CHECK(index.find(sorted, 1u << 20) == sorted.size());
    // Ids alike in their low 32 bits share an entry: both are still found.
    auto far = sorted;
    far.push_back(CoroutineState{.id = ids[7] + (std::uint64_t{1} << 32)});
    CHECK(index.find_and_remember(far, far.back().id) == far.size() - 1);
    CHECK(index.find_and_remember(far, ids[7]) == 7);
    CHECK(index.find(far, far.back().id) == far.size() - 1);
}

TEST_CASE("A slot moved behind the index's back is searched for, never answered wrongly",
          "[vizmodel][coroutine_index]") {
    auto sorted = with_ids({2, 4, 6, 8, 10, 12, 14, 16});
    CoroutineIndex index;
    for (const CoroutineState& c : sorted) index.find_and_remember(sorted, c.id);
    // Erase two and insert one in front, without telling the index.
    sorted.erase(sorted.begin() + 1, sorted.begin() + 3);  // 4 and 6
    sorted.insert(sorted.begin(), CoroutineState{.id = 1});
    for (std::size_t slot = 0; slot < sorted.size(); ++slot) {
        INFO("id " << sorted[slot].id);
        CHECK(index.find(sorted, sorted[slot].id) == slot);
        CHECK(index.find_and_remember(sorted, sorted[slot].id) == slot);
    }
    CHECK(index.find(sorted, 4) == sorted.size());
    CHECK(index.find(sorted, 6) == sorted.size());
}

TEST_CASE("A state's index is not part of its value", "[vizmodel][coroutine_index]") {
    ModelState a;
    for (const std::uint64_t id : {3, 9, 27, 81}) a.find_or_add(id);
    ModelState b = a;
    REQUIRE(a.find(27) != nullptr);  // a searched and indexed; b did not
    CHECK(a == b);
    CHECK(b.find(81)->id == 81);
    CHECK(a.find(5) == nullptr);
    a.forget_ended_before(100);  // nothing ended: nothing moves
    CHECK(a.find(9)->id == 9);
}

#include "cogen/viz/pod_buffer.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using cogen::viz::PodBuffer;

namespace {

struct Pair {
    std::uint64_t first = 0;
    std::uint32_t offset = 0;
    bool operator==(const Pair&) const = default;
};

template <class T>
std::vector<T> as_vector(const PodBuffer<T>& b) {
    return std::vector<T>(b.begin(), b.end());
}

}  // namespace

TEST_CASE("PodBuffer keeps its values as it grows, as a vector would", "[vizmodel][memory]") {
    PodBuffer<Pair> b;
    std::vector<Pair> want;
    CHECK(b.empty());
    // Past the sizes where glibc's realloc moves a block to mmap and then remaps it.
    for (std::uint64_t i = 0; i < 300'000; ++i) {
        const Pair p{i * 7, static_cast<std::uint32_t>(i)};
        b.push_back(p);
        want.push_back(p);
    }
    CHECK(as_vector(b) == want);
    CHECK(b.back() == want.back());
    CHECK(b[12345] == want[12345]);
    // Grows by a quarter: never more than a quarter (and a few) spare.
    CHECK(b.capacity() <= b.size() + b.size() / 4 + 16);
    b.reserve(b.size() * 2);
    CHECK(b.capacity() >= want.size() * 2);
    CHECK(as_vector(b) == want);
    b.shrink_to_fit();
    CHECK(b.capacity() == b.size());
    CHECK(as_vector(b) == want);
}

TEST_CASE("PodBuffer copies, moves and clears", "[vizmodel][memory]") {
    PodBuffer<std::uint8_t> a;
    for (int i = 0; i < 1000; ++i) a.push_back(static_cast<std::uint8_t>(i * 13));
    PodBuffer<std::uint8_t> copy = a;
    CHECK(as_vector(copy) == as_vector(a));
    copy[5] = 99;
    CHECK(a[5] != 99);  // a copy of its own
    copy = a;
    CHECK(as_vector(copy) == as_vector(a));
    PodBuffer<std::uint8_t> moved = std::move(copy);
    CHECK(as_vector(moved) == as_vector(a));
    CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
    CHECK(copy.capacity() == 0);
    moved = std::move(a);
    CHECK(moved.size() == 1000);
    moved.clear();
    CHECK(moved.empty());
    CHECK(moved.capacity() > 0);  // clear keeps the room, as a vector's does
    moved.shrink_to_fit();
    CHECK(moved.capacity() == 0);
    CHECK(moved.data() == nullptr);
    moved.push_back(1);  // usable again
    CHECK(moved.size() == 1);
}

TEST_CASE("PodBuffer::erase_front moves the rest to the front", "[vizmodel][memory]") {
    cogen::viz::PodBuffer<std::uint16_t> b;
    for (std::uint16_t i = 0; i < 1000; ++i) b.push_back(i);
    b.erase_front(0);
    CHECK(b.size() == 1000);
    b.erase_front(300);
    REQUIRE(b.size() == 700);
    for (std::size_t i = 0; i < b.size(); ++i) CHECK(b[i] == i + 300);
    b.push_back(7);  // still appends after it
    CHECK(b.back() == 7);
    b.erase_front(b.size());
    CHECK(b.empty());
}

#include "cogen/viz/huge_page_allocator.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <vector>

using cogen::viz::HugePageAllocator;

namespace {

// Resident pages of [p, p + n) (mincore): what the block really holds.
std::size_t resident_pages(const void* p, std::size_t n) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const auto start = reinterpret_cast<std::uintptr_t>(p) & ~(page - 1);
    const std::size_t len = reinterpret_cast<std::uintptr_t>(p) + n - start;
    std::vector<unsigned char> in((len + page - 1) / page);
    REQUIRE(::mincore(reinterpret_cast<void*>(start), len, in.data()) == 0);
    std::size_t count = 0;
    for (unsigned char c : in) count += c & 1;
    return count;
}

}  // namespace

TEST_CASE("HugePageAllocator: small blocks come from the heap, big ones 2 MiB-aligned",
          "[vizmodel][memory]") {
    HugePageAllocator<std::uint8_t> a;
    std::uint8_t* small = a.allocate(1000);
    std::memset(small, 7, 1000);
    a.deallocate(small, 1000);

    const std::size_t n = (std::size_t{3} << 20) + 12345;  // 3 MiB and a bit
    std::uint8_t* big = a.allocate(n);
    CHECK(reinterpret_cast<std::uintptr_t>(big) % HugePageAllocator<std::uint8_t>::huge == 0);
    std::memset(big, 0x5a, n);  // every byte writable, up to the last
    CHECK(big[0] == 0x5a);
    CHECK(big[n - 1] == 0x5a);
    a.deallocate(big, n);
}

TEST_CASE("HugePageAllocator: a big block holds no more memory than it was asked for",
          "[vizmodel][memory]") {
    // Only whole 2 MiB pages inside the block are advised huge: the tail keeps small
    // pages, so the block's resident size stays that of its bytes (rounded to a page),
    // whatever the kernel does with the advice.
    HugePageAllocator<std::uint8_t> a;
    const std::size_t n = (std::size_t{2} << 20) + (std::size_t{300} << 10);  // 2.3 MiB
    std::uint8_t* big = a.allocate(n);
    std::memset(big, 1, n);
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    CHECK(resident_pages(big, n) == (n + page - 1) / page);
    // Past the block nothing is mapped (the spare 2 MiB of the mapping went back).
    unsigned char past = 0;
    const auto after = reinterpret_cast<std::uintptr_t>(big) + ((n + page - 1) & ~(page - 1));
    CHECK(::mincore(reinterpret_cast<void*>(after), page, &past) != 0);
    a.deallocate(big, n);
}

TEST_CASE("HugePageAllocator: a vector grows across the threshold and keeps its bytes",
          "[vizmodel][memory]") {
    std::vector<std::uint8_t, HugePageAllocator<std::uint8_t>> v;
    for (std::size_t i = 0; i < (std::size_t{5} << 20); ++i)
        v.push_back(static_cast<std::uint8_t>(i * 31));
    bool same = true;
    for (std::size_t i = 0; i < v.size(); ++i)
        same = same && v[i] == static_cast<std::uint8_t>(i * 31);
    CHECK(same);
    auto copy = v;
    CHECK(copy == v);
    v.clear();
    v.shrink_to_fit();
    CHECK(v.capacity() == 0);
    CHECK(HugePageAllocator<std::uint8_t>{} == HugePageAllocator<int>{});
}

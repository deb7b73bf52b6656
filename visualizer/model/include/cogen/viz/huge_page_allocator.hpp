// HugePageAllocator<T>: std::allocator for small blocks; a block of 2 MiB or more gets a
// mapping of its own, 2 MiB-aligned, whose whole 2 MiB pages are advised to be huge
// (MADV_HUGEPAGE: transparent huge pages in "madvise" mode take only such ranges). One
// page fault per 2 MiB instead of 512 when the block is first written; the tail past the
// last whole 2 MiB keeps small pages, so no memory grows. A checkpoint's delta (megabytes
// at thousands of live coroutines) is kept in one (docs/visualizer-model.md).
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace cogen::viz {

template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t huge = std::size_t{2} << 20;
    static constexpr std::size_t page = 4096;

    HugePageAllocator() noexcept = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < huge) return std::allocator<T>{}.allocate(n);
        const std::size_t len = round_up(bytes, page);
        // Map 2 MiB more than needed, then give back what lies before the first 2 MiB
        // boundary and after the block.
        void* m =
            ::mmap(nullptr, len + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) throw std::bad_alloc();
        const auto start = reinterpret_cast<std::uintptr_t>(m);
        const std::uintptr_t aligned = round_up(start, huge);
        if (aligned > start) ::munmap(m, aligned - start);
        const std::uintptr_t end = start + len + huge;
        if (end > aligned + len)
            ::munmap(reinterpret_cast<void*>(aligned + len), end - aligned - len);
        ::madvise(reinterpret_cast<void*>(aligned), len / huge * huge, MADV_HUGEPAGE);
        return reinterpret_cast<T*>(aligned);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < huge) {
            std::allocator<T>{}.deallocate(p, n);
        } else {
            ::munmap(p, round_up(bytes, page));
        }
    }

    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept {
        return true;
    }

  private:
    static constexpr std::uintptr_t round_up(std::uintptr_t x, std::uintptr_t to) noexcept {
        return (x + to - 1) & ~(to - 1);
    }
};

}  // namespace cogen::viz

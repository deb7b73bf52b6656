// PodBuffer<T>: a growable array of trivially copyable values kept with malloc/realloc, for
// the model's logs that grow to hundreds of megabytes (TransitionLog: a tag per event of a
// 100M-event trace). A std::vector grows by allocating anew and copying: every growth of
// such a log copied all of it and wrote fresh pages, hundreds of milliseconds during which
// the viewer's frames waited (and a fifth of the build's page faults). realloc() grows a big
// block in place or moves its pages (glibc: mremap), with no copy and no new faults but
// for the added part.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace cogen::viz {

/// The part of std::vector's interface the logs use, for trivially copyable T.
///
///     PodBuffer<std::uint8_t> bytes;
///     bytes.push_back(7);
///     bytes.reserve(1000);   // realloc: the 7 stays
template <class T>
class PodBuffer {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                  "PodBuffer moves its values with realloc");

  public:
    PodBuffer() = default;
    ~PodBuffer() { std::free(m_data); }
    PodBuffer(const PodBuffer& other) { assign(other); }
    PodBuffer& operator=(const PodBuffer& other) {
        if (this != &other) {
            m_size = 0;
            assign(other);
        }
        return *this;
    }
    PodBuffer(PodBuffer&& other) noexcept
        : m_data(std::exchange(other.m_data, nullptr)),
          m_size(std::exchange(other.m_size, 0)),
          m_capacity(std::exchange(other.m_capacity, 0)) {}
    PodBuffer& operator=(PodBuffer&& other) noexcept {
        if (this != &other) {
            std::free(m_data);
            m_data = std::exchange(other.m_data, nullptr);
            m_size = std::exchange(other.m_size, 0);
            m_capacity = std::exchange(other.m_capacity, 0);
        }
        return *this;
    }

    T* data() noexcept { return m_data; }
    const T* data() const noexcept { return m_data; }
    std::size_t size() const noexcept { return m_size; }
    std::size_t capacity() const noexcept { return m_capacity; }
    bool empty() const noexcept { return m_size == 0; }
    T* begin() noexcept { return m_data; }
    T* end() noexcept { return m_data + m_size; }
    const T* begin() const noexcept { return m_data; }
    const T* end() const noexcept { return m_data + m_size; }
    T& operator[](std::size_t i) noexcept { return m_data[i]; }
    const T& operator[](std::size_t i) const noexcept { return m_data[i]; }
    T& back() noexcept { return m_data[m_size - 1]; }
    const T& back() const noexcept { return m_data[m_size - 1]; }

    /// Room for `n` values (never shrinks).
    void reserve(std::size_t n) {
        if (n > m_capacity) resize_block(n);
    }
    /// Appends; grows by a quarter when full (a long log holds at most a quarter spare).
    void push_back(const T& value) {
        if (m_size == m_capacity) resize_block(m_capacity + m_capacity / 4 + 16);
        m_data[m_size++] = value;
    }
    void clear() noexcept { m_size = 0; }
    /// Removes the first `n` values (n <= size()); the rest move to the front.
    void erase_front(std::size_t n) noexcept {
        if (n == 0) return;
        std::memmove(m_data, m_data + n, (m_size - n) * sizeof(T));
        m_size -= n;
    }
    /// Gives back the spare room.
    void shrink_to_fit() {
        if (m_size == m_capacity) return;
        if (m_size == 0) {
            std::free(std::exchange(m_data, nullptr));
            m_capacity = 0;
            return;
        }
        resize_block(m_size);
    }

  private:
    void resize_block(std::size_t n) {
        void* p = std::realloc(m_data, n * sizeof(T));
        if (p == nullptr) throw std::bad_alloc();
        m_data = static_cast<T*>(p);
        m_capacity = n;
    }
    void assign(const PodBuffer& other) {
        reserve(other.m_size);
        if (other.m_size != 0) std::memcpy(m_data, other.m_data, other.m_size * sizeof(T));
        m_size = other.m_size;
    }

    T* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

}  // namespace cogen::viz

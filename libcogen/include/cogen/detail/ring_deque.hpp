// RingDeque<T>: the active queue's storage — a growable power-of-two ring.
// push/pop at both ends touch one slot and never allocate once warm, unlike
// std::deque, which allocates and frees a node every few dozen pushes.
#pragma once
#include <cstddef>
#include <memory>
#include <utility>

namespace cogen::detail {

/// A double-ended queue of trivially copyable T on a circular buffer.
template <class T>
class RingDeque {
  public:
    RingDeque() = default;
    RingDeque(const RingDeque&) = delete;
    RingDeque& operator=(const RingDeque&) = delete;

    bool empty() const noexcept { return m_size == 0; }
    std::size_t size() const noexcept { return m_size; }
    /// The next push grows the buffer.
    bool full() const noexcept { return m_size == capacity(); }

    T& operator[](std::size_t i) noexcept { return m_buf[(m_head + i) & m_mask]; }
    const T& operator[](std::size_t i) const noexcept { return m_buf[(m_head + i) & m_mask]; }
    T& front() noexcept { return m_buf[m_head]; }

    void push_back(const T& v) {
        if (m_size == capacity()) grow();
        m_buf[(m_head + m_size) & m_mask] = v;
        ++m_size;
    }
    void push_front(const T& v) {
        if (m_size == capacity()) grow();
        m_head = (m_head - 1) & m_mask;
        m_buf[m_head] = v;
        ++m_size;
    }
    void pop_front() noexcept {
        m_head = (m_head + 1) & m_mask;
        --m_size;
    }
    void clear() noexcept {
        m_head = 0;
        m_size = 0;
    }
    /// Removes the element at position i, keeping the order of the rest.
    void erase_at(std::size_t i) noexcept {
        for (std::size_t j = i; j + 1 < m_size; ++j) (*this)[j] = (*this)[j + 1];
        --m_size;
    }
    /// Removes every element for which pred is true, keeping the order.
    template <class Pred>
    std::size_t erase_if(Pred pred) {  // returns how many it removed
        std::size_t out = 0;
        for (std::size_t i = 0; i < m_size; ++i) {
            if (!pred((*this)[i])) (*this)[out++] = (*this)[i];
        }
        return std::exchange(m_size, out) - out;
    }

  private:
    // m_mask is all ones while there is no buffer, so capacity() is 0 without a test of m_buf.
    std::size_t capacity() const noexcept { return m_mask + 1; }
    void grow() {
        const std::size_t cap = capacity() ? capacity() * 2 : 64;
        auto buf = std::make_unique<T[]>(cap);
        for (std::size_t i = 0; i < m_size; ++i) buf[i] = (*this)[i];
        m_buf = std::move(buf);
        m_head = 0;
        m_mask = cap - 1;
    }

    std::unique_ptr<T[]> m_buf;
    std::size_t m_head = 0;
    std::size_t m_size = 0;
    std::size_t m_mask = ~std::size_t{0};  // capacity - 1
};

}  // namespace cogen::detail

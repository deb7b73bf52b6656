// IndexIterator: a random-access iterator over a view whose elements are decoded on access
// (the model's packed events, lanes and per-coroutine lists): it holds the view and an index.
#pragma once
#include <compare>
#include <cstddef>
#include <iterator>

namespace cogen::viz {

/// A random-access iterator over any view with `value_type operator[](size_t)`;
/// elements are values decoded on access (no address is stable).
template <class View>
class IndexIterator {
  public:
    using value_type = typename View::value_type;
    struct arrow {
        value_type value;
        const value_type* operator->() const noexcept { return &value; }
    };
    using iterator_category = std::random_access_iterator_tag;
    using iterator_concept = std::random_access_iterator_tag;
    using difference_type = std::ptrdiff_t;
    using reference = value_type;
    using pointer = arrow;

    IndexIterator() = default;
    IndexIterator(const View* v, std::size_t i) noexcept : m_view(v), m_index(i) {}
    std::size_t index() const noexcept { return m_index; }
    value_type operator*() const noexcept { return (*m_view)[m_index]; }
    arrow operator->() const noexcept { return arrow{**this}; }
    value_type operator[](difference_type n) const noexcept { return *(*this + n); }
    IndexIterator& operator++() noexcept { return ++m_index, *this; }
    IndexIterator operator++(int) noexcept { return {m_view, m_index++}; }
    IndexIterator& operator--() noexcept { return --m_index, *this; }
    IndexIterator operator--(int) noexcept { return {m_view, m_index--}; }
    IndexIterator& operator+=(difference_type n) noexcept {
        m_index = static_cast<std::size_t>(static_cast<difference_type>(m_index) + n);
        return *this;
    }
    IndexIterator& operator-=(difference_type n) noexcept { return *this += -n; }
    friend IndexIterator operator+(IndexIterator it, difference_type n) noexcept { return it += n; }
    friend IndexIterator operator+(difference_type n, IndexIterator it) noexcept { return it += n; }
    friend IndexIterator operator-(IndexIterator it, difference_type n) noexcept { return it -= n; }
    friend difference_type operator-(const IndexIterator& x, const IndexIterator& y) noexcept {
        return static_cast<difference_type>(x.m_index) - static_cast<difference_type>(y.m_index);
    }
    friend bool operator==(const IndexIterator& x, const IndexIterator& y) noexcept {
        return x.m_index == y.m_index;
    }
    friend auto operator<=>(const IndexIterator& x, const IndexIterator& y) noexcept {
        return x.m_index <=> y.m_index;
    }

  private:
    const View* m_view = nullptr;
    std::size_t m_index = 0;
};

}  // namespace cogen::viz

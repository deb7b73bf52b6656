// A tiny ordered log for tests translated from cogen's, which append to a
// list and compare it at the end.
#pragma once
#include <string>
#include <vector>

namespace cogen::test {

struct Log {
    std::vector<std::string> items;
    void operator()(std::string s) { items.push_back(std::move(s)); }
    void operator()(long long v) { items.push_back(std::to_string(v)); }
    void operator()(int v) { items.push_back(std::to_string(v)); }
};

/// ["1", "2", "3"] from {1, 2, 3}.
inline std::vector<std::string> strs(std::initializer_list<long long> xs) {
    std::vector<std::string> out;
    for (long long x : xs) out.push_back(std::to_string(x));
    return out;
}

}  // namespace cogen::test

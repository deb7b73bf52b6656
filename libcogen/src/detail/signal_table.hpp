// SignalTable: cogen's sigwait (waiters per signal name) and parked signals
// (a FIFO per name: a Signal waiting for enough recipients).
#pragma once
#include <deque>
#include <string>
#include <unordered_map>

#include "cogen/operation.hpp"

namespace cogen::detail {

class SignalTable {
  public:
    struct Slot {
        std::deque<Operation*> waiters;  // WaitForSignal ops, registration order
        std::deque<Operation*> parked;   // Signal ops waiting for recipients, FIFO
    };

    Slot& slot(const std::string& name) { return m_slots[name]; }
    Slot* find(const std::string& name) {
        auto it = m_slots.find(name);
        return it == m_slots.end() ? nullptr : &it->second;
    }
    void drop_if_empty(const std::string& name) {
        auto it = m_slots.find(name);
        if (it != m_slots.end() && it->second.waiters.empty() && it->second.parked.empty())
            m_slots.erase(it);
    }
    /// Removes `op` from whichever list of `name` holds it.
    void remove(const std::string& name, Operation& op) {
        if (Slot* s = find(name)) {
            std::erase(s->waiters, &op);
            std::erase(s->parked, &op);
            drop_if_empty(name);
        }
    }

  private:
    std::unordered_map<std::string, Slot> m_slots;
};

}  // namespace cogen::detail

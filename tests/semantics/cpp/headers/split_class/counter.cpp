#include "counter.h"

Counter::Counter() : total_(0) {}

void Counter::add(int n) {
    total_ += clamp(n);
    check();
}

int Counter::total() const {
    return total_;
}

void Counter::check() {}

int clamp(int v) {
    return v < 0 ? 0 : v;
}

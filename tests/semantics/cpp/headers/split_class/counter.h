#pragma once

class Counter {
public:
    Counter();
    void add(int n);
    int total() const;
private:
    void check();
    int total_;
};

int clamp(int v);

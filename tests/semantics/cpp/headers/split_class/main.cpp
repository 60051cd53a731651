#include "counter.h"

int main() {
    Counter c;
    c.add(3);
    Counter* p = &c;
    p->total();
    clamp(4);
    return 0;
}

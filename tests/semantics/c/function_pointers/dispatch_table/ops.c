#include <stdio.h>

typedef int (*handler)(int);

static int add_one(int x) { return x + 1; }
static int twice(int x) { return x * 2; }

struct ops {
    handler first;
    handler second;
};

int apply(handler h, int v) {
    return h(v);
}

int main(void) {
    handler h = add_one;
    h(1);
    int (*g)(int) = &twice;
    g(2);
    apply(twice, 3);
    printf("%d\n", add_one(4));
    return 0;
}

int swap_later(int v) {
    handler f = add_one;
    f = twice;
    return f(v);
}

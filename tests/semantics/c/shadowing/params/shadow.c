#include <stdlib.h>

static void cleanup(void) {}
static int compare(const void* a, const void* b) { return 0; }

void sort_all(int* xs, int n, int (*compare)(const void*, const void*)) {
    qsort(xs, n, sizeof(int), compare);
    compare(xs, xs);
    cleanup();
}

void finish(void) {
    int cleanup = 0;
    compare(0, 0);
    free(0);
}

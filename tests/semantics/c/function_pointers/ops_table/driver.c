#include <stdio.h>

struct driver_ops {
    int (*open)(const char *name);
    void (*close)(int fd);
};

static int disk_open(const char *name) { return 1; }
static void disk_close(int fd) {}
static int net_open(const char *name) { return 2; }
static void net_close(int fd) {}
static void log_close(int fd) { printf("%d\n", fd); }

static struct driver_ops disk = { .open = disk_open, .close = disk_close };
static struct driver_ops net = { net_open, net_close };

void use(struct driver_ops *ops, const char *name) {
    int fd = ops->open(name);
    ops->close(fd);
}

void instrument(struct driver_ops *ops) {
    ops->close = log_close;
}

int main(void) {
    use(&disk, "a");
    instrument(&net);
    use(&net, "b");
    return 0;
}

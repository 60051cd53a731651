#include "loop.h"
#include <uv/threadpool.h>
#include <sys/epoll.h>
#include CONFIG_HEADER

#if defined(_WIN32)
# define LOOP_BACKEND "iocp"
typedef void *loop_handle_t;
#else
# define LOOP_BACKEND "epoll"
typedef int loop_handle_t;
#endif

#define TEST_IMPL(name) int run_test_##name(void)
#define CHECK(expr) do { if (!(expr)) abort(); } while (0)

enum { MAX_EVENTS = 64, MAX_TIMERS = 1024 };

struct loop_timer {
  unsigned long long deadline;
  void (*callback)(struct loop_timer *timer, void *arg);
  void *arg;
};

// The loop every test shares.
static struct loop_state {
  loop_handle_t handle;
  struct loop_timer timers[MAX_TIMERS];
  int timer_count;
} default_loop;

__attribute__((unused)) static int debug_level = 0;

#if defined(_WIN32)
static loop_handle_t loop_backend_open(void) {
  return CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
}
#else
static loop_handle_t loop_backend_open(void) {
  return epoll_create1(EPOLL_CLOEXEC);
}
#endif

/* Returns the timer slot, or NULL when the table is full. */
static struct loop_timer *timer_alloc(struct loop_state *loop) {
  if (loop->timer_count == MAX_TIMERS)
    return NULL;
  return &loop->timers[loop->timer_count++];
}

int loop_add_timer(unsigned long long deadline,
                   void (*callback)(struct loop_timer *, void *),
                   void *arg) {
  struct loop_timer *timer = timer_alloc(&default_loop);

  if (timer == NULL)
    return -1;
  timer->deadline = deadline;
  timer->callback = callback;
  timer->arg = arg;
  return 0;
}

static void __attribute__((noinline)) run_due_timers(unsigned long long now) {
  struct due_entry {
    struct loop_timer *timer;
    int fired;
  };
  int i;

  for (i = 0; i < default_loop.timer_count; i++) {
    struct loop_timer *t = &default_loop.timers[i];
    if (t->deadline <= now)
      t->callback(t, t->arg);
  }
}

const char *loop_backend_name(void) {
  return LOOP_BACKEND;
}

TEST_IMPL(timer_order) {
  CHECK(loop_add_timer(10, NULL, NULL) == 0);
  run_due_timers(20);
  return 0;
}

TEST_IMPL(backend_name) {
  CHECK(loop_backend_name() != NULL);
  return 0;
}

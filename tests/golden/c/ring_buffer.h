/*
 * ring_buffer.h - a fixed-capacity byte ring shared by the I/O layer.
 */

#ifndef RING_BUFFER_H
#define RING_BUFFER_H

#include <stddef.h>
#include <stdint.h>
#include "compat/attributes.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest capacity a ring may be created with. */
#define RING_MAX_CAPACITY (1u << 20)

/// Rounds `n` up to the next power of two.
#define RING_ROUND_UP(n) (((n) + 1u) & ~1u)

#define RING_LOG(fmt, ...) ring_log(__FILE__, __LINE__, fmt, __VA_ARGS__)

/* How a full ring treats a new write. */
typedef enum ring_policy {
  RING_OVERWRITE = 0, /**< drop the oldest bytes */
  RING_REJECT = 1,    /**< refuse the write */
  RING_GROW           /**< double the capacity */
} ring_policy_t;

/** Callback invoked when the ring drains. */
typedef void (*ring_drain_cb)(void *user, size_t drained);

/** Statistics kept by every ring. */
typedef struct {
  uint64_t bytes_in;
  uint64_t bytes_out;
  unsigned overflows : 16;
  unsigned resized : 1;
} ring_stats_t;

struct ring_buffer {
  uint8_t *data;
  size_t capacity;
  size_t head;
  size_t tail;
  ring_policy_t policy;
  ring_drain_cb on_drain;
  void *user;
  union {
    uint32_t flags;
    struct {
      uint16_t locked;
      uint16_t dirty;
    } bits;
  };
  ring_stats_t stats;
};

typedef struct ring_buffer ring_buffer;

/** Global count of live rings (for leak checks). */
extern size_t ring_live_count;

extern const char *const ring_version;

/**
 * Creates a ring of `capacity` bytes.
 *
 * Returns NULL when `capacity` exceeds RING_MAX_CAPACITY.
 */
ring_buffer *ring_create(size_t capacity, ring_policy_t policy);

void ring_destroy(ring_buffer *ring);

size_t ring_write(ring_buffer *ring, const void *src, size_t len);
size_t ring_read(ring_buffer *ring, void *dst, size_t len);

int ring_log(const char *file, int line, const char *fmt, ...);

/* Bytes that can be read without blocking. */
static inline size_t ring_available(const ring_buffer *ring) {
  return ring->tail - ring->head;
}

#ifdef __cplusplus
}
#endif

#endif /* RING_BUFFER_H */

/* Copyright (c) the ring authors. Licensed MIT. */

#include "ring_buffer.h"
#include "internal/alloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define RING_MAGIC 0x52494e47u

size_t ring_live_count = 0;
const char *const ring_version = "1.4.2";

static const int kGrowFactor = 2;
static unsigned long total_allocations;
static char last_error[128];

/* Per-process pool of recycled buffers. */
static union pool_slot {
  ring_buffer *ring;
  uintptr_t next_free;
} pool[8];

static int ring_grow(ring_buffer *ring, size_t min_capacity);

/**
 * Creates a ring of `capacity` bytes.
 */
ring_buffer *ring_create(size_t capacity, ring_policy_t policy) {
  ring_buffer *ring;

  if (capacity > RING_MAX_CAPACITY) {
    snprintf(last_error, sizeof(last_error), "capacity %zu too large", capacity);
    return NULL;
  }
  ring = calloc(1, sizeof(*ring));
  if (ring == NULL)
    return NULL;
  ring->data = alloc_bytes(RING_ROUND_UP(capacity));
  ring->capacity = capacity;
  ring->policy = policy;
  total_allocations++;
  ring_live_count++;
  return ring;
}

void ring_destroy(ring_buffer *ring) {
  if (ring == NULL)
    return;
  if (ring->on_drain != NULL)
    ring->on_drain(ring->user, ring_available(ring));
  free(ring->data);
  free(ring);
  ring_live_count--;
}

static int ring_grow(ring_buffer *ring, size_t min_capacity) {
  size_t capacity = ring->capacity * kGrowFactor;
  uint8_t *data;

  while (capacity < min_capacity)
    capacity *= kGrowFactor;
  data = realloc(ring->data, capacity);
  if (data == NULL)
    return -ENOMEM;
  ring->data = data;
  ring->capacity = capacity;
  ring->stats.resized = 1;
  return 0;
}

size_t ring_write(ring_buffer *ring, const void *src, size_t len) {
  size_t room = ring->capacity - ring_available(ring);

  if (len > room) {
    switch (ring->policy) {
      case RING_REJECT:
        ring->stats.overflows++;
        return 0;
      case RING_GROW:
        if (ring_grow(ring, ring_available(ring) + len) != 0)
          return 0;
        break;
      default:
        ring->head += len - room;
    }
  }
  memcpy(ring->data + ring->tail % ring->capacity, src, MIN(len, ring->capacity));
  ring->tail += len;
  ring->stats.bytes_in += len;
  return len;
}

size_t ring_read(ring_buffer *ring, void *dst, size_t len) {
  size_t n = MIN(len, ring_available(ring));

  memcpy(dst, ring->data + ring->head % ring->capacity, n);
  ring->head += n;
  ring->stats.bytes_out += n;
  if (ring_available(ring) == 0 && ring->on_drain)
    (*ring->on_drain)(ring->user, n);
  return n;
}

int ring_log(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = fprintf(stderr, "%s:%d: ", file, line);
  n += vfprintf(stderr, fmt, ap);
  va_end(ap);
  return n;
}

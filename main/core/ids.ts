import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the system a page at a time: an import makes hundreds of thousands of ids (issue 17). */
const pool = Buffer.alloc(4096);
let used = pool.length;

/**
 * The counter of each recent millisecond ids were made for (RFC 9562, 6.2 method 1). Kept per
 * millisecond, not only for the last one: a caller may make ids for a fixed moment (a test's clock,
 * a record's own time) between ids for now. The least recently used millisecond is forgotten
 * first, one at a time: forgetting them all at once let a moment still in use start again at a
 * random counter, and a work order's repair step then sorted before the step made just before it.
 */
const counters = new Map<number, number>();
const REMEMBERED = 4096;
const COUNTER_BITS = 2 ** 42;

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 42-bit counter, then random bits. Ids
 * made on different ward PCs never collide, and they sort by creation time, which keeps B-tree
 * inserts local. Ids made in the same millisecond by this process sort in the order they were
 * made: the counter starts at a random value below half its range at each new millisecond and
 * counts up (method 1 of section 6.2), so rows ordered by time and then id (a work order's steps,
 * made in one transaction; repairs/head.ts) keep the order they were made in, on every PC.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (used + 16 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const b = Buffer.from(pool.subarray(used, used + 16));
  used += 16;
  const last = counters.get(nowMs);
  let counter: number;
  if (last !== undefined && last + 1 < COUNTER_BITS) {
    counter = last + 1;
  } else {
    // 41 random bits: bytes 6–10 and the top bit of byte 11.
    counter = (b[6]! & 0x0f) * 2 ** 37 + b[7]! * 2 ** 29 + (b[8]! & 0x3f) * 2 ** 23 + b[9]! * 2 ** 15 + b[10]! * 2 ** 7 + (b[11]! >>> 1);
  }
  counters.delete(nowMs);
  counters.set(nowMs, counter);
  if (counters.size > REMEMBERED) counters.delete(counters.keys().next().value!);
  let c = counter;
  b[11] = c % 256;
  c = Math.floor(c / 256);
  b[10] = c % 256;
  c = Math.floor(c / 256);
  b[9] = c % 256;
  c = Math.floor(c / 256);
  b[8] = c % 64;
  c = Math.floor(c / 64);
  b[7] = c % 256;
  c = Math.floor(c / 256);
  b[6] = c % 16;
  // The 48-bit millisecond count, big-endian, in bytes 0–5 (two halves: bit operators work on 32 bits).
  const high = Math.floor(nowMs / 0x1000000);
  const low = nowMs % 0x1000000;
  b[0] = (high >>> 16) & 0xff;
  b[1] = (high >>> 8) & 0xff;
  b[2] = high & 0xff;
  b[3] = (low >>> 16) & 0xff;
  b[4] = (low >>> 8) & 0xff;
  b[5] = low & 0xff;
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

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
/** The millisecond of the last id made and its counter: most ids are made for the same one as the id before. */
let lastMs = Number.NaN;
let lastCounter = 0;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
  // The id's 16 bytes are the pool's next 16, read in place (issue 17: no buffer and no hex string per id).
  const o = used;
  used += 16;
  let counter: number;
  if (nowMs === lastMs && lastCounter + 1 < COUNTER_BITS) {
    // The most recently used millisecond again: already last in `counters`, so kept in place.
    counter = lastCounter + 1;
    counters.set(nowMs, counter);
  } else {
    const last = counters.get(nowMs);
    if (last !== undefined && last + 1 < COUNTER_BITS) {
      counter = last + 1;
    } else {
      // 41 random bits: bytes 6–10 and the top bit of byte 11.
      counter = (pool[o + 6]! & 0x0f) * 2 ** 37 + pool[o + 7]! * 2 ** 29 + (pool[o + 8]! & 0x3f) * 2 ** 23 + pool[o + 9]! * 2 ** 15 + pool[o + 10]! * 2 ** 7 + (pool[o + 11]! >>> 1);
    }
    counters.delete(nowMs);
    counters.set(nowMs, counter);
    if (counters.size > REMEMBERED) counters.delete(counters.keys().next().value!);
  }
  lastMs = nowMs;
  lastCounter = counter;
  // The counter's 42 bits: 4 in byte 6 (after the version), 8 in byte 7, 6 in byte 8 (after the variant), then bytes 9–11.
  const low = counter % 2 ** 24;
  const high = Math.floor(counter / 2 ** 24);
  // The 48-bit millisecond count, big-endian, in bytes 0–5 (two halves: bit operators work on 32 bits).
  const msHigh = Math.floor(nowMs / 0x1000000);
  const msLow = nowMs % 0x1000000;
  return (
    HEX[(msHigh >>> 16) & 0xff]! +
    HEX[(msHigh >>> 8) & 0xff]! +
    HEX[msHigh & 0xff]! +
    HEX[(msLow >>> 16) & 0xff]! +
    '-' +
    HEX[(msLow >>> 8) & 0xff]! +
    HEX[msLow & 0xff]! +
    '-' +
    HEX[0x70 | ((high >>> 14) & 0x0f)]! + // version 7
    HEX[(high >>> 6) & 0xff]! +
    '-' +
    HEX[0x80 | (high & 0x3f)]! + // variant 10
    HEX[(low >>> 16) & 0xff]! +
    '-' +
    HEX[(low >>> 8) & 0xff]! +
    HEX[low & 0xff]! +
    HEX[pool[o + 12]!]! +
    HEX[pool[o + 13]!]! +
    HEX[pool[o + 14]!]! +
    HEX[pool[o + 15]!]!
  );
}

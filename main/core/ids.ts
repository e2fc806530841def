import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the system a page at a time: an import makes hundreds of thousands of ids (issue 17). */
const pool = Buffer.alloc(4096);
let used = pool.length;

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made on different ward
 * PCs never collide, and they sort roughly by creation time, which keeps B-tree inserts local.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (used + 16 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const b = Buffer.from(pool.subarray(used, used + 16));
  used += 16;
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

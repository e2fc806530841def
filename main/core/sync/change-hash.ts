import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit';
import type { Change } from './protocol';

/** What identifies a change on both sides: a second copy of it hashes the same, a rewrite does not. */
export function changeHash(c: Change): string {
  return createHash('sha256')
    .update(canonicalJson({ seq: c.seq, hlc: c.hlc, tbl: c.tbl, pk: c.pk, op: c.op, data: c.data, base: c.base }))
    .digest('hex');
}

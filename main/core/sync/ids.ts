import { createHash } from 'node:crypto';

/**
 * An id made from what a row is rather than drawn at random, for rows two PCs may each create for
 * the same thing while offline (a new lot of a supply at a stock location): both make the same id,
 * so the rows merge instead of standing side by side. Shaped like a UUID (version 8, RFC 9562).
 */
export function contentId(kind: string, ...parts: readonly (string | null)[]): string {
  const h = createHash('sha256')
    .update(JSON.stringify([kind, ...parts]))
    .digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function lotId(stockLocationId: string, itemId: string, lot: string, expiresOn: string | null): string {
  return contentId('stock_lot', stockLocationId, itemId, lot, expiresOn);
}

import { deserialize, serialize } from 'node:v8';

/**
 * A value carried between threads as the bytes of its structured clone, moved with the message
 * rather than copied (issue 17). Posted as objects, the compliance report's shares (about 3 MB each
 * for a year at 200,000 devices: the high-risk exceptions and devices) were rebuilt on the thread
 * that serves the window as each arrived, and copied again from there to the worker that adds them
 * up: the window stalled for up to 77 ms. As bytes, that thread only hands their buffer on; the
 * worker that reads them rebuilds them (unpack).
 */
export interface Packed<T> {
  readonly packed: Uint8Array;
  /** Never set: ties the bytes to the type they hold. */
  readonly __holds?: T;
}

export function pack<T>(value: T): Packed<T> {
  const bytes = serialize(value);
  // A buffer of its own, whole, so it can be moved (a Node buffer may be a slice of a shared pool).
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
  return { packed: own };
}

export function unpack<T>(value: Packed<T>): T {
  // Moved to another thread already: its bytes are gone from here.
  if (value.packed.byteLength === 0) throw new Error('A packed value was read after it was sent to another thread.');
  return deserialize(value.packed) as T;
}

function isPacked(value: unknown): value is Packed<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { packed?: unknown }).packed instanceof Uint8Array &&
    Object.keys(value).length === 1
  );
}

/**
 * The buffers of the packed values in a job's arguments or result, to be moved with its message:
 * the value itself, or one of its fields, or in an array there (`{ shares: [packed, packed] }`).
 */
export function transfersOf(value: unknown): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (isPacked(v)) {
      if (v.packed.buffer instanceof ArrayBuffer && !out.includes(v.packed.buffer)) out.push(v.packed.buffer);
      return;
    }
    if (depth === 0 || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) for (const x of v) visit(x, depth - 1);
    else for (const x of Object.values(v)) visit(x, depth - 1);
  };
  visit(value, 2);
  return out;
}

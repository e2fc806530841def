import fc from 'fast-check';
import type { z } from 'zod';
import { toJSONSchema } from 'zod';

/** Classic injection strings: each must be stored, searched and shown as the text it is. */
export const SQL_INJECTIONS = [
  "'; DROP TABLE equipment; --",
  "' OR '1'='1",
  "Robert'); DROP TABLE users;--",
  '" OR ""="',
  "1; DELETE FROM audit_log WHERE 1=1; --",
  "x' UNION SELECT pin_hash, password_hash FROM users --",
  "%' AND 1=0 UNION SELECT sql FROM sqlite_schema --",
  "'); ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
  "\\0'; --",
  '%_%',
  '*',
  '"name" MATCH "x"',
  'NEAR(a b)',
  "\"; PRAGMA writable_schema = ON; --",
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
] as const;

/** Strings that break things: huge, odd Unicode, control characters, injections, prototype names. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...SQL_INJECTIONS),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''),
  fc.integer({ min: 3, max: 6 }).map((n) => 'x'.repeat(10 ** n)), // up to a million characters
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', '7d', '0d', '-1y', '1000000m'),
);

const strangeNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 31) - 1, 1e308),
);

/** A chain of nested objects or arrays, hundreds to thousands of levels deep. */
export const deepValue: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

export const leaf: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  strangeNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.uint8Array({ maxLength: 64 }),
  fc.date(),
);

/** Objects with own `__proto__`, `constructor` and `prototype` keys, as JSON.parse makes them. */
export const pollutingObject: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom(
  '{"__proto__": {"polluted": "yes"}}',
  '{"constructor": {"prototype": {"polluted": "yes"}}}',
  '{"__proto__": {"polluted": "yes"}, "name": "x", "assetTag": "T-1"}',
  '{"prototype": {"polluted": "yes"}, "source": {"__proto__": {"polluted": "yes"}, "text": "a,b"}}',
  '{"mapping": {"__proto__": "asset_tag", "constructor": null}}',
) .map((json) => JSON.parse(json) as Record<string, unknown>);

function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Property names a schema knows, at any depth: fuzzed objects use them so inputs get past the first check. */
export function schemaKeys(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  let json: unknown;
  try {
    json = toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
  } catch {
    return [];
  }
  const walk = (node: unknown, depth: number) => {
    if (depth > 20 || !node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.properties && typeof n.properties === 'object') {
      for (const [k, v] of Object.entries(n.properties as Record<string, unknown>)) {
        keys.add(k);
        walk(v, depth + 1);
      }
    }
    for (const k of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) if (Array.isArray(n[k])) for (const x of n[k] as unknown[]) walk(x, depth + 1);
    if (n.items) walk(n.items, depth + 1);
    if (n.additionalProperties && typeof n.additionalProperties === 'object') walk(n.additionalProperties, depth + 1);
  };
  walk(json, 0);
  return [...keys];
}

/** Objects keyed by the channel's own field names (and hostile ones), with hostile values, nested. */
export function keyedObject(keys: readonly string[], value: fc.Arbitrary<unknown> = leaf): fc.Arbitrary<Record<string, unknown>> {
  const keyArb = keys.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...keys), weight: 4 }, { arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra'), weight: 1 }) : fc.constantFrom('__proto__', 'constructor', 'extra');
  const { tree } = fc.letrec<{ tree: unknown; node: Record<string, unknown> }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, value, tie('node'), fc.array(tie('tree'), { maxLength: 4 })),
    node: fc.array(fc.tuple(keyArb, tie('tree')), { maxLength: 6 }).map((entries) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of entries) defineOwn(o, k, v);
      return o;
    }),
  }));
  return fc.array(fc.tuple(keyArb, tree), { maxLength: 8 }).map((entries) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) defineOwn(o, k, v);
    return o;
  });
}

/** Any payload at all for a channel. */
export function payloadFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const keys = schemaKeys(schema);
  return fc.oneof(
    { arbitrary: keyedObject(keys), weight: 6 },
    { arbitrary: fc.constant({}), weight: 1 },
    { arbitrary: pollutingObject, weight: 2 },
    { arbitrary: deepValue, weight: 1 },
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.array(leaf, { maxLength: 5 }), weight: 1 },
    { arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withTypedArray: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withDate: true, withMap: true, withSet: true }), weight: 2 },
  );
}

type JsonNode = Record<string, unknown>;

/**
 * Inputs shaped as the schema asks (from its JSON Schema), with hostile strings wherever a string
 * fits and the given ids wherever an id fits: these get past validation into the handlers.
 */
export function validShaped(schema: z.ZodType, ids: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  let json: JsonNode;
  try {
    json = toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonNode;
  } catch {
    return fc.constant({});
  }
  const build = (node: JsonNode, depth: number): fc.Arbitrary<unknown> => {
    if (depth > 8) return fc.constant(null);
    if ('const' in node) return fc.constant(node.const);
    if (Array.isArray(node.enum)) return fc.constantFrom(...(node.enum as unknown[]));
    for (const k of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(node[k]) && (node[k] as unknown[]).length > 0) return fc.oneof(...(node[k] as JsonNode[]).map((n) => build(n, depth + 1)));
    }
    switch (node.type) {
      case 'string': {
        const max = typeof node.maxLength === 'number' ? node.maxLength : 300;
        const min = typeof node.minLength === 'number' ? node.minLength : 0;
        if (node.format === 'uuid') return fc.oneof(ids, fc.uuid());
        if (node.format === 'date') return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
        if (node.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
        if (typeof node.pattern === 'string') {
          try {
            return fc.stringMatching(new RegExp(node.pattern)).filter((s) => s.length >= min && s.length <= max);
          } catch {
            return hostileString;
          }
        }
        return fc.oneof(hostileString, fc.constantFrom('Ward 4B', 'Infusion pump', 'ABC-123', '7d', '1y')).map((s) => {
          const cut = s.slice(0, max);
          return cut.length >= min ? cut : cut.padEnd(min, 'x');
        });
      }
      case 'integer':
      case 'number': {
        const min = typeof node.minimum === 'number' ? node.minimum : -1000;
        const max = typeof node.maximum === 'number' ? node.maximum : 100_000;
        return fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) });
      }
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const items = node.items && typeof node.items === 'object' ? build(node.items as JsonNode, depth + 1) : leaf;
        return fc.array(items, { maxLength: Math.min(typeof node.maxItems === 'number' ? node.maxItems : 5, 5) });
      }
      case 'object': {
        const props = (node.properties ?? {}) as Record<string, JsonNode>;
        const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
        const shape: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(props)) shape[k] = build(v, depth + 1);
        if (Object.keys(shape).length === 0) {
          return node.additionalProperties && typeof node.additionalProperties === 'object'
            ? fc.dictionary(hostileString.filter((s) => s.length < 100), build(node.additionalProperties as JsonNode, depth + 1), { maxKeys: 3 })
            : fc.constant({});
        }
        return fc.record(shape, { requiredKeys: Object.keys(shape).filter((k) => required.has(k)) });
      }
      default:
        return fc.oneof(leaf, fc.uint8Array({ maxLength: 200 }));
    }
  };
  return build(json, 0);
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/core/audit';

/**
 * The audit trail's text of a value is hashed, and the chain is checked against entries written by
 * older versions and by other PCs: issue 17's cheaper canonicalJson must write every value exactly
 * as the one before it did. This is that one, copied as it was (main/core/audit.ts before the
 * import's round of 5 December 2026), as the reference.
 */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

function referenceCanonicalJson(value: unknown): string {
  return referenceFlat(value) ?? JSON.stringify(referenceSortKeys(value));
}

function referenceFlat(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return null;
  const record = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined) continue;
    if (key === '__proto__') return null;
    if (INDEX_KEY.test(key) && Number(key) < 2 ** 32 - 1) return null;
    let text: string | null;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') text = JSON.stringify(v);
    else text = referenceFlat(v);
    if (text === null) return null;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${text}`;
  }
  return `{${out}}`;
}

function referenceSortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(referenceSortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = referenceSortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

class Point {
  constructor(
    public y: number,
    public x: number,
  ) {}
}

const withProto: unknown = JSON.parse('{"b":1,"__proto__":{"z":2},"a":null}');
const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });

const CASES: [string, unknown][] = [
  ['an equipment row', { via: 'import', id: '019ae8b1-1111-7000-8000-000000000001', asset_tag: 'IMP-1', asset_tag_key: 'IMP-1', notes: null, reference_standard: 0, risk: 'high' }],
  ['nested objects', { z: { b: { d: 1, c: [3, { y: 1, x: 2 }] }, a: true }, a: { '': 0, ' ': 1 } }],
  ['unicode', { 'é': 'Défibrillateur – 𝄞', 'Ü': 'Süd', 'a\u0301': 'combining', '\u{1F600}': '\u{1F600}', ß: 'ẞ' }],
  ['lone surrogates', { a: '\ud800', b: 'x\udc00y', '\ud83d': 1 }],
  ['numbers', { big: 1e21, small: 1e-7, negZero: -0, nan: Number.NaN, inf: Infinity, negInf: -Infinity, max: Number.MAX_VALUE, min: Number.MIN_VALUE, frac: 0.1 + 0.2 }],
  ['keys needing escapes', { 'quote"': 1, 'back\\slash': 2, 'new\nline': 3, 'tab\t': 4, '\u0000nul': 5, '\u001f': 6, '\u2028': 7, '/': 8 }],
  ['values needing escapes', { a: 'Checked, "as new"\nline 2\r\n\t\\ \u0000 \u001f \u007f \u2028 \u2029 </script>' }],
  ['undefined values', { b: undefined, a: 1, c: { d: undefined, e: undefined }, '5': undefined, __proto__x: undefined }],
  ['index-like keys', { '10': 'ten', '9': 'nine', b: 1, a: 2, '01': 'not an index', '4294967294': 'last index', '4294967295': 'not an index' }],
  ['keys past the indexes only', { '4294967296': 1, '4294967295': 2, a: 3, '-1': 4, '1.5': 5 }],
  ['an array', [3, { b: 1, a: 2 }, null, undefined, 'x']],
  ['an array in a row', { list: [{ b: 1, a: 2 }], a: 1 }],
  ['a Date', { at: new Date('2026-11-25T09:00:00Z'), a: 1 }],
  ['a class instance', new Point(2, 1)],
  ['a class instance in a row', { p: new Point(2, 1), a: 1 }],
  ['a __proto__ key', withProto],
  ['a null-prototype object', nullProto],
  ['a null-prototype object in a row', { n: nullProto, a: 1 }],
  ['a toJSON key holding text', { toJSON: 'not a method', a: 1 }],
  ['a toJSON method', { toJSON: () => 'replaced', a: 1 }],
  ['an empty object', {}],
  ['null', null],
  ['a string', 'text "quoted"'],
  ['a number', -0],
  ['a boolean', false],
  ['deep nesting', { a: { b: { c: { d: { e: { f: { g: 'deep' } } } } } } }],
  // Keys already in sorted order (a device's entry as insertEquipment writes it) are written as they are, without a sorted copy.
  ['keys already in order', { acquired_on: null, asset_tag: 'IMP-1', id: '019ae8b1', notes: 'Checked, "as new"', reference_standard: 0, risk: 'high', via: undefined, warranty_until: null }],
  ['keys in order, an index-like key first', { '1': 'one', '2': 'two', a: 3 }],
  ['keys in order, an empty key first', { '': 0, a: 1 }],
  ['keys in order beyond ASCII', { a: 1, z: 2, 'é': 3, '\u{1F600}': 4, '\uffff': 5 }],
  ['keys in order, a __proto__ key among them', JSON.parse('{"A":1,"__proto__":{"z":2},"a":3}')],
  ['keys in order, a __proto__ key holding text', JSON.parse('{"A":1,"__proto__":"x","a":3}')],
  ['keys in order, a toJSON method last', { a: 1, toJSON: () => 'replaced' }],
  ['keys in order, a nested row', { a: 1, b: { d: 1, c: 2 } }],
  ['keys in order, a Date', { a: 1, at: new Date('2026-11-25T09:00:00Z') }],
  ['many keys', Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${(i * 7919) % 200}`, i % 3 === 0 ? null : i % 3 === 1 ? `v${i}` : i]))],
];

describe('canonicalJson writes every value as it did before issue 17 made it cheaper', () => {
  it.each(CASES)('%s', (_, value) => {
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });

  it('undefined at the top, as JSON.stringify gives it', () => {
    expect(canonicalJson(undefined)).toBe(referenceCanonicalJson(undefined));
  });

  it('any JSON-like value, objects nested in objects and arrays', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '01', '4294967294', '4294967295', '__proto__', 'toJSON', '-0', 'é', '\ud800'));
    const leaf = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.double(),
      fc.integer(),
      fc.constantFrom(1e21, -0, 1e-7, null, true, false, undefined),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), tie('array')),
      object: fc.dictionary(key, tie('value'), { maxKeys: 8 }),
      array: fc.array(tie('value'), { maxLength: 4 }),
    }));
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(referenceCanonicalJson(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('any flat object whose keys were written in sorted order', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '01', '__proto__', 'toJSON', 'é', '\ud800'));
    const leaf = fc.oneof(fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.constantFrom(1e21, -0, null, true, false, undefined));
    fc.assert(
      fc.property(fc.dictionary(key, leaf, { maxKeys: 12 }), (d) => {
        const inOrder: Record<string, unknown> = {};
        for (const k of Object.keys(d).sort()) inOrder[k] = d[k];
        expect(canonicalJson(inOrder)).toBe(referenceCanonicalJson(inOrder));
      }),
      { numRuns: 2000 },
    );
  });
});

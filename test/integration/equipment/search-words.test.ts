import { describe, expect, it } from 'vitest';
import { testBackend } from '../../helpers/core';
import { call as callAs } from '../../helpers/invoke';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';

type B = ReturnType<typeof testBackend>;
function call<C extends ChannelName>(b: B, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  return callAs(b.backend, b.session, channel, input);
}

async function ward(b: B) {
  const site = await call(b, 'locations.create', { name: 'General Hospital' });
  return call(b, 'locations.create', { name: 'Ward 4B', parentId: site.id });
}

describe('searching the list with characters SQL and FTS treat specially', () => {
  async function inventory() {
    const b = testBackend('supervisor');
    const w = await ward(b);
    for (const [assetTag, name, serial] of [
      ['A_1', 'Pump', null],
      ['AB1', 'Pump', null],
      ['C-1', '100% oxygen flowmeter', null],
      ['C-2', '10 bar regulator', null],
      ['D-1', 'Öl pump', null],
      ['D-2', 'Écho-doppler', null],
      ['E-1', 'Monitor "Intellivue"', "SN'7"],
    ] as const) {
      await call(b, 'equipment.create', { assetTag, name, locationId: w.id, serial });
    }
    const tags = async (text: string) => (await call(b, 'equipment.search', { text })).rows.map((r) => r.assetTag);
    return { b, tags };
  }

  it('"_" and "%" match only themselves', async () => {
    const { tags } = await inventory();
    expect(await tags('_')).toEqual(['A_1']);
    expect(await tags('%')).toEqual(['C-1']);
    expect(await tags('0%')).toEqual(['C-1']);
  });

  it('quotes match only themselves', async () => {
    const { tags } = await inventory();
    expect(await tags('"')).toEqual(['E-1']);
    expect(await tags("'")).toEqual(['E-1']);
    expect(await tags('"Intellivue"')).toEqual(['E-1']);
  });
});

describe('paging the list in every order gives every device once', () => {
  it('pages of 100 over 250 devices with equal names, blanks and equal categories: no device twice, none missing', async () => {
    const b = testBackend('supervisor');
    const w = await ward(b);
    const site2 = await call(b, 'locations.create', { name: 'Clinic' });
    const cat = await call(b, 'categories.create', { name: 'Pump' });
    for (let i = 0; i < 250; i++) {
      await call(b, 'equipment.create', {
        assetTag: `P-${String(i).padStart(3, '0')}${i % 7 === 0 ? 'a' : ''}`,
        name: i % 3 === 0 ? 'Pump' : 'pump',
        locationId: i % 2 ? w.id : site2.id,
        categoryId: i % 5 ? cat.id : null,
        serial: i % 4 ? null : 'same',
        risk: i % 3 ? 'high' : null,
      });
    }
    const all = (await call(b, 'equipment.search', { limit: 1000 })).rows.map((r) => r.id).sort();
    for (const sort of ['assetTag', 'name', 'category', 'location', 'serial', 'risk', 'status', 'nextDue'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        for (let offset = 0; offset < 250; offset += 100) {
          seen.push(...(await call(b, 'equipment.search', { sort, direction, offset, limit: 100 })).rows.map((r) => r.id));
        }
        expect({ sort, direction, ids: [...seen].sort() }).toEqual({ sort, direction, ids: all });
      }
    }
  });
});

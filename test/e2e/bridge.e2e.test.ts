import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { encodeAnswer, launchApp, shutdown } from './harness';
import { seedWard } from './seed';

afterAll(shutdown);

/**
 * The harness stands in for Electron's preload and IPC, which carry an answer by structured clone.
 * It carries answers as JSON text (Playwright's own value serialisation made the benchmark's screens
 * wait on the harness); these check the page still gets what structured clone would give it.
 */

/** A value written out with what JSON would lose made visible, so the page's copy and the back end's compare exactly. */
function describeValue(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw === undefined) return '<undefined>';
    if (raw instanceof Date) return `<date ${raw.toISOString()}>`;
    if (typeof raw === 'bigint') return `<bigint ${raw.toString()}>`;
    if (raw instanceof Uint8Array) return `<bytes ${Array.from(raw).join(',')}>`;
    return v;
  });
}

/** The same description made in the page, of what `expression` (awaited there) gives. */
const describedInPage = (page: Page, expression: string): Promise<string> =>
  page.evaluate(`(async () => (${describeValue.toString()})(await ${expression}))()`);

describe("the harness's bridge", () => {
  it('gives the page the same answers the back end gives, field for field', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    // Signed in as the seeded administrator, as the page's session.
    const app = await launchApp({
      dataDir,
      beforeGoto: async ({ backend, session }) => {
        const res = await backend.invoke(session, 'auth.signIn', { name: 'Ada Admin', secret: '2468' });
        if (!res.ok) throw new Error(res.error.message);
      },
    });
    try {
      const asked = [
        ['auth.status', {}],
        ['due.today', { limit: 100, outOfServiceLimit: 100 }],
        ['equipment.search', { sort: 'assetTag', direction: 'asc', offset: 0, limit: 100 }],
        ['locations.tree', {}],
        ['categories.list', {}],
        ['equipment.search', { text: 'no such device anywhere', sort: 'name', direction: 'asc', offset: 0, limit: 100 }],
        ['locations.create', { name: '' }],
      ] as const;
      for (const [channel, input] of asked) {
        const inPage = await describedInPage(app.page, `window.api.invoke(${JSON.stringify(channel)}, ${JSON.stringify(input)})`);
        const direct = await app.backend.invoke(app.session, channel, input);
        expect(inPage, channel).toBe(describeValue(direct));
      }
      expect(app.calls).toContain('due.today');
    } finally {
      await app.close();
    }
  });

  it('keeps what JSON alone would lose: undefined fields, dates, bytes and big integers', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    try {
      const answer = {
        ok: true,
        value: {
          note: undefined,
          at: new Date('2026-12-02T08:30:00.000Z'),
          bytes: new Uint8Array([0, 1, 254, 255]),
          big: 2n ** 70n,
          list: [1, undefined, 'x'],
          text: 'a name that mentions __wardkeepAnswerTag',
        },
      };
      const inPage = await describedInPage(app.page, `window.__wardkeepDecodeAnswer(${JSON.stringify(encodeAnswer(answer))})`);
      expect(inPage).toBe(describeValue(answer));
      expect(inPage).toContain('"note":"<undefined>"');
      expect(inPage).toContain('<bytes 0,1,254,255>');
      expect(inPage).toContain('<date 2026-12-02T08:30:00.000Z>');
      expect(inPage).toContain(`<bigint ${2n ** 70n}>`);
    } finally {
      await app.close();
    }
  });

  it('refuses an answer structured clone could not carry, naming the field', () => {
    expect(() => encodeAnswer({ ok: true, value: { onClick: () => undefined } })).toThrow(/function at "onClick"/);
  });
});

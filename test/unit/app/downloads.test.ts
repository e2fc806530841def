import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardDownloads } from '../../../main/app/downloads';

const dir = mkdtempSync(path.join(tmpdir(), 'wardkeep-downloads-'));
afterEach(() => undefined);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function item(name: string) {
  const calls: string[] = [];
  return { calls, getFilename: () => name, setSavePath: (p: string) => calls.push(`save ${p}`), cancel: () => calls.push('cancel') };
}

describe('exports the renderer downloads (issue 13, item 6)', () => {
  const core = { file: path.join(dir, 'wardkeep.sqlite3'), dataDir: dir };

  it('are saved where the person chose, unless that is the database', () => {
    const errors: string[] = [];
    const ok = item('equipment.csv');
    guardDownloads(core, { choosePath: () => path.join(dir, 'equipment.csv'), showError: (m) => errors.push(m) })({} as never, ok);
    expect(ok.calls).toEqual([`save ${path.join(dir, 'equipment.csv')}`]);

    const bad = item('equipment.csv');
    guardDownloads(core, { choosePath: () => core.file, showError: (m) => errors.push(m) })({} as never, bad);
    expect(bad.calls).toEqual(['cancel']);
    expect(errors[0]).toMatch(/is the database: Wardkeep will not write over it/);

    const cancelled = item('equipment.csv');
    guardDownloads(core, { choosePath: () => undefined, showError: (m) => errors.push(m) })({} as never, cancelled);
    expect(cancelled.calls).toEqual(['cancel']);
  });
});

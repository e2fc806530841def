import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & {
  win: { target: { target: string }[] };
  nsis: Record<string, unknown>;
  linux: { target: string[]; icon: string };
  mac: { target: string[] };
  asarUnpack: string[];
};

describe('electron-builder.yml', () => {
  it('is valid against electron-builder\'s own schema (offline)', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('builds a per-machine NSIS installer for Windows, AppImage and deb for Linux, dmg for macOS', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('names the app and takes its icons from assets/', () => {
    expect(config).toMatchObject({ appId: 'org.wardkeep.desktop', productName: 'Wardkeep' });
    expect(config.linux.icon).toMatch(/^assets\//);
    expect(readFileSync(config.linux.icon).subarray(1, 4).toString()).toBe('PNG');
  });

  it('unpacks better-sqlite3 from the asar archive', () => {
    expect(config.asarUnpack.some((p) => p.includes('better-sqlite3'))).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & {
  win: { target: { target: string }[] };
  linux: { target: string[]; icon: string };
  mac: { target: string[] };
  asarUnpack: string[];
  asar: { smartUnpack: boolean };
  directories: { buildResources: string };
  electronFuses: Record<string, boolean>;
  nsis: Record<string, unknown> & { include: string };
  deb: Record<string, string>;
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

  it('unpacks only the SQLite driver from the asar archive', () => {
    expect(config.asarUnpack).toEqual(['**/node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
    expect(config.asar.smartUnpack).toBe(false);
  });

  it('sets the fuses: no Node runtime, no NODE_OPTIONS, no --inspect, the app only from its checked archive', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("takes the installers' own files from assets/installer, and every file it names exists", () => {
    expect(config.directories.buildResources).toBe('assets/installer');
    for (const file of [config.nsis.include, config.deb.afterInstall, config.deb.afterRemove, config.deb.appArmorProfile]) {
      expect(file).toMatch(/^assets\/installer\//);
      expect(readFileSync(file!, 'utf8').length).toBeGreaterThan(0);
    }
  });
});

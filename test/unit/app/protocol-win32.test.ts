import { describe, expect, it, vi } from 'vitest';

// The app:// handler as it runs on a Windows ward PC: Windows path rules (backslash separators, drives).
vi.mock('node:path', async () => {
  const p = await vi.importActual<typeof import('node:path')>('node:path');
  return { default: p.win32, ...p.win32 };
});
vi.mock('electron', () => ({}));

const { resolveAppFile } = await import('../../../main/app/protocol');

describe('app:// cannot reach outside the renderer folder under Windows path rules', () => {
  const root = 'C:\\Program Files\\Wardkeep\\resources\\app.asar\\out\\renderer';
  it.each([
    'app://wardkeep/..%5C..%5C..%5Cwardkeep.sqlite3',
    'app://wardkeep/%2e%2e%5c%2e%2e%5cx',
    'app://wardkeep/assets/..%5C..%5C..%5Cx',
    'app://wardkeep/..%5c',
  ])('%s is refused', (url) => {
    expect(resolveAppFile(url, root)).toBeNull();
  });
  it.each(['app://wardkeep/C:%5CWindows%5Cwin.ini', 'app://wardkeep/%5C%5Cserver%5Cshare%5Cx', 'app://wardkeep/C:/Windows/win.ini'])(
    '%s stays under the root',
    (url) => {
      const file = resolveAppFile(url, root);
      expect(file === null || file.startsWith(`${root}\\`)).toBe(true);
    },
  );
});

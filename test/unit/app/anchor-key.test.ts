import { describe, expect, it } from 'vitest';
import { anchorKeyProtectors } from '../../../main/app/anchor-key';

/** A stand-in for Electron's safeStorage: "encrypts" by reversing the bytes, so a wrapped key is not the key. */
function fakeSafeStorage(backend = 'gnome_libsecret') {
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (s: string) => Buffer.from(s, 'utf8').reverse(),
    decryptString: (b: Buffer) => Buffer.from(b).reverse().toString('utf8'),
  };
}

describe("the audit anchors' key in the shell (issue 13, item 3)", () => {
  it('is wrapped by safeStorage when the PC has a secret store, the file key kept readable second', () => {
    const [best, file] = anchorKeyProtectors(fakeSafeStorage(), 'linux');
    expect(best!.name).toBe('safeStorage');
    expect(file!.name).toBe('file');
    const key = Buffer.alloc(32, 7);
    const wrapped = best!.wrap(key);
    expect(wrapped).not.toContain(key.toString('base64'));
    expect(best!.unwrap(wrapped)).toEqual(key);
    expect(best!.unwrap('not a wrapped key')).toBeNull();
  });

  it('falls back to the owner-only file where safeStorage protects nothing (Linux basic_text) or is missing', () => {
    expect(anchorKeyProtectors(fakeSafeStorage('basic_text'), 'linux').map((p) => p.name)).toEqual(['file']);
    expect(anchorKeyProtectors({ ...fakeSafeStorage(), isEncryptionAvailable: () => false }, 'win32').map((p) => p.name)).toEqual(['file']);
  });
});

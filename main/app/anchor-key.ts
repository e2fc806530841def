import type { SafeStorage } from 'electron';
import type { KeyProtector } from '../core/ports';
import { fileKeyProtector } from '../core/ports';

/**
 * The audit anchors' key wrapped by the operating system's secret store (issue 13, item 3):
 * Windows DPAPI, the macOS Keychain, a Linux secret service. On Linux with no secret service
 * Electron falls back to a fixed password ("basic_text"), which protects nothing: the key is then
 * kept as a plain owner-only file, and that is what docs/security.md says it protects.
 * Returns the protectors the core may use, best first (the file one reads a key the command line made).
 */
export function anchorKeyProtectors(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  getSelectedStorageBackend?: () => string;
}, platform: NodeJS.Platform = process.platform): KeyProtector[] {
  let usable = false;
  try {
    usable = safeStorage.isEncryptionAvailable() && !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
  } catch {
    usable = false;
  }
  if (!usable) return [fileKeyProtector];
  const protector: KeyProtector = {
    name: 'safeStorage',
    wrap: (key) => safeStorage.encryptString(key.toString('base64')).toString('base64'),
    unwrap: (data) => {
      try {
        const key = Buffer.from(safeStorage.decryptString(Buffer.from(data, 'base64')), 'base64');
        return key.length === 32 ? key : null;
      } catch {
        // Another account's, or another PC's: this account cannot read it.
        return null;
      }
    },
  };
  return [protector, fileKeyProtector];
}

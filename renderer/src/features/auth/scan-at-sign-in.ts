import type { ScanKey, ScanState } from '../../lib/scanner';
import { scanStep } from '../../lib/scanner';

export interface SignInScanStep {
  state: ScanState;
  /** True when this key (an Enter) ended a barcode scan into the box: it must not sign in. */
  scanned: boolean;
}

/**
 * A barcode scanned at the sign-in (or lock) screen lands in the focused box, and its Enter would
 * send the tag as a PIN: a wrong PIN, counted towards the lockout of the person the screen locked
 * on. The box's keys are fed to the app's one scan rule (lib/scanner.ts, SCANNER: three
 * characters or more, every key, Enter too, within 30 ms of the one before; a held key's repeat is
 * typing) as if no field were being edited, and the whole of the box's text must have come in
 * that one burst. A person typing a PIN, even a fast typist at 40 ms a key, is slower than that,
 * so their PIN is always sent; a fast typist rolling over the last keys leaves earlier keys in the
 * box; a pasted or filled-in secret comes with no keys at all.
 */
export function signInScanStep(state: ScanState, key: Omit<ScanKey, 'inTextField'>, boxValue: string): SignInScanStep {
  const step = scanStep(state, { ...key, inTextField: false });
  return { state: step.state, scanned: step.scan !== null && step.scan === boxValue.trim() };
}

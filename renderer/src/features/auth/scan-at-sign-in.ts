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
 * on. The scanner detector (lib/scanner.ts) is fed the box's keys as if no field were being edited,
 * and the rule is kept narrow, so a person signing in is never stopped: the whole of the box's
 * text must have come in the one burst, every key (Enter too) within the scanner's 50 ms of the
 * last. A person typing a PIN is far slower; a fast typist rolls over a few keys, not a whole
 * secret and its Enter; a pasted or filled-in secret comes with no keys at all.
 */
export function signInScanStep(state: ScanState, key: Omit<ScanKey, 'inTextField'>, boxValue: string): SignInScanStep {
  const step = scanStep(state, { ...key, inTextField: false });
  return { state: step.state, scanned: step.scan !== null && step.scan === boxValue.trim() };
}

/**
 * Tells a USB barcode scanner from a person at the keyboard: the app's one scan rule, for the
 * signed-in app (components/ScanListener.tsx) and the sign-in and lock screen
 * (features/auth/scan-at-sign-in.ts) alike (docs/security.md, "A PIN is never taken for a barcode
 * scan"). A scanner "types" the asset tag as a burst of keys a few milliseconds apart and ends it
 * with Enter. The rule (SCANNER): at least three characters, every key, Enter included, within 30 ms
 * of the one before, and ended by Enter. A person, even a fast typist rolling over a PIN, does not
 * keep every key and the Enter within 30 ms (40 ms a key is fast typing, never a scan). A key held
 * down (its auto-repeat) is typing too: a scanner never holds a key. Keys typed into a field being
 * edited are never a scan. Pure: the listeners feed it key events with their times.
 */

export interface ScanOptions {
  /** The shortest tag taken as a scan; shorter bursts are ordinary typing. */
  minLength: number;
  /** The longest pause between two keys of one burst, Enter included. */
  maxGapMs: number;
}

/** The scan rule, everywhere in the app. */
export const SCANNER: Readonly<ScanOptions> = Object.freeze({ minLength: 3, maxGapMs: 30 });

export interface ScanState {
  /** The keys of the burst so far. */
  chars: string;
  /** When the last key of the burst came; null when there is no burst. */
  lastAt: number | null;
}

export const EMPTY_SCAN: ScanState = { chars: '', lastAt: null };

export interface ScanKey {
  /** `KeyboardEvent.key`. */
  key: string;
  /** Milliseconds, from any steady clock (`KeyboardEvent.timeStamp`). */
  time: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  /** `KeyboardEvent.repeat`: the key is held down, so it is typing, never a scan. */
  repeat?: boolean;
  /** True while the focus is in a field being edited: its keys are typing, never a scan. */
  inTextField: boolean;
}

export interface ScanStep {
  state: ScanState;
  /** The scanned tag when this key (an Enter) ended a scan; the caller stops the Enter there. */
  scan: string | null;
}

/** Keys a scanner may send between characters without breaking its burst (Shift for capitals). */
const TRANSPARENT_KEYS = new Set(['Shift', 'CapsLock']);

const isPrintable = (key: string): boolean => [...key].length === 1 && !/[\u0000-\u001f\u007f]/.test(key);

/** Feeds one keydown to the scan rule (SCANNER). */
export function scanStep(state: ScanState, k: ScanKey): ScanStep {
  if (k.repeat || k.inTextField || k.ctrlKey || k.altKey || k.metaKey) return { state: EMPTY_SCAN, scan: null };
  if (TRANSPARENT_KEYS.has(k.key)) return { state, scan: null };
  const inBurst = state.lastAt !== null && k.time - state.lastAt >= 0 && k.time - state.lastAt <= SCANNER.maxGapMs;
  if (isPrintable(k.key)) {
    return { state: { chars: inBurst ? state.chars + k.key : k.key, lastAt: k.time }, scan: null };
  }
  if (k.key === 'Enter' && inBurst) {
    const tag = state.chars.trim();
    if ([...tag].length >= SCANNER.minLength) return { state: EMPTY_SCAN, scan: tag };
  }
  return { state: EMPTY_SCAN, scan: null };
}

/** Input types that take no typing: the scanner's keys there are a scan, not an edit. */
const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'color', 'file', 'hidden', 'image', 'radio', 'range', 'reset', 'submit']);

/** What the detector needs to know of the focused element. */
export interface FocusedElement {
  tagName: string;
  /** The `type` attribute of an input. */
  type?: string | null;
  isContentEditable?: boolean;
  readOnly?: boolean;
  disabled?: boolean;
}

/** True when keys typed now edit a field (input, textarea, select, contenteditable). */
export function isTextEntry(el: FocusedElement | null | undefined): boolean {
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'SELECT') return !el.disabled;
  if (tag === 'TEXTAREA') return !el.readOnly && !el.disabled;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((el.type ?? 'text').toLowerCase()) && !el.readOnly && !el.disabled;
  return false;
}

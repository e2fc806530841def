/**
 * Tells a USB barcode scanner from a person at the keyboard. A scanner "types" the asset tag as a
 * burst of keys a few milliseconds apart and ends it with Enter; a person is far slower. Pure: the
 * global listener (components/ScanListener.tsx) feeds it key events with their times.
 */

export interface ScanOptions {
  /** The shortest tag taken as a scan; shorter bursts are ordinary typing. */
  minLength: number;
  /** The longest pause between two keys of one burst, Enter included. */
  maxGapMs: number;
}

export const DEFAULT_SCAN_OPTIONS: ScanOptions = { minLength: 3, maxGapMs: 50 };

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

/** Feeds one keydown to the detector. */
export function scanStep(state: ScanState, k: ScanKey, options: ScanOptions = DEFAULT_SCAN_OPTIONS): ScanStep {
  if (k.inTextField || k.ctrlKey || k.altKey || k.metaKey) return { state: EMPTY_SCAN, scan: null };
  if (TRANSPARENT_KEYS.has(k.key)) return { state, scan: null };
  const inBurst = state.lastAt !== null && k.time - state.lastAt >= 0 && k.time - state.lastAt <= options.maxGapMs;
  if (isPrintable(k.key)) {
    return { state: { chars: inBurst ? state.chars + k.key : k.key, lastAt: k.time }, scan: null };
  }
  if (k.key === 'Enter' && inBurst) {
    const tag = state.chars.trim();
    if ([...tag].length >= options.minLength) return { state: EMPTY_SCAN, scan: tag };
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

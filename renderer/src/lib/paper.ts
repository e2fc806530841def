import type { Paper } from '../../../shared/domain/report';
import { PAPERS } from '../../../shared/domain/report';

/**
 * The paper this PC prints on, remembered on the PC (it belongs to the printer beside it, not to a
 * person or the database). The first guess follows the locale: Letter in North America, else A4.
 */
const KEY = 'wardkeep.print.paper';

export function rememberedPaper(): Paper {
  try {
    const saved = window.localStorage.getItem(KEY);
    if (saved && (PAPERS as readonly string[]).includes(saved)) return saved as Paper;
  } catch {
    // storage unavailable: fall back to the locale's guess
  }
  return /-(US|CA|MX|PH)$/i.test(navigator.language) ? 'letter' : 'a4';
}

export function rememberPaper(paper: Paper): void {
  try {
    window.localStorage.setItem(KEY, paper);
  } catch {
    // not remembered: the choice still applies to this print
  }
}

/** Remembered settings of any other kind (label stock, symbology), by key, checked against the choices. */
export function rememberedChoice<T extends string>(key: string, choices: readonly T[], fallback: T): T {
  try {
    const saved = window.localStorage.getItem(`wardkeep.print.${key}`);
    if (saved && (choices as readonly string[]).includes(saved)) return saved as T;
  } catch {
    // storage unavailable
  }
  return fallback;
}

export function rememberChoice(key: string, value: string): void {
  try {
    window.localStorage.setItem(`wardkeep.print.${key}`, value);
  } catch {
    // not remembered
  }
}

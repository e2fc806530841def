import { useEffect, useRef } from 'react';

/**
 * What a screen tells the barcode scanner (components/ScanListener.tsx) before a scanned tag opens
 * another page: a tag that belongs in it (the reference standard on the bench, scanned into the
 * record form), and what would be lost by leaving it, so the technician is asked first.
 */
export interface ScanClaim {
  /** What leaving would throw away, for the question ("the unsaved calibration of IP-0042"); null when nothing is typed. */
  unsaved: () => string | null;
  /** Takes a scanned tag that belongs in this screen; true when it was taken (nothing is opened then). */
  takeScan?: (tag: string) => boolean;
}

/** The screens (and dialogs) showing now, the last shown first asked. */
let claims: ScanClaim[] = [];

/** Holds the claim while the calling component is shown. The latest claim object is used each time. */
export function useScanClaim(claim: ScanClaim): void {
  const latest = useRef(claim);
  useEffect(() => {
    latest.current = claim;
  });
  useEffect(() => {
    const held: ScanClaim = {
      unsaved: () => latest.current.unsaved(),
      takeScan: (tag) => latest.current.takeScan?.(tag) ?? false,
    };
    claims = [...claims, held];
    return () => {
      claims = claims.filter((c) => c !== held);
    };
  }, []);
}

/** True when a screen shown took the scanned tag itself. */
export function takeScan(tag: string): boolean {
  return [...claims].reverse().some((c) => c.takeScan?.(tag) ?? false);
}

/** What a scan that opens another page would throw away, or null when nothing is unsaved. */
export function unsavedInput(): string | null {
  for (const c of [...claims].reverse()) {
    const what = c.unsaved();
    if (what) return what;
  }
  return null;
}

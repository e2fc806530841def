/** A bench child's own peak memory, in KB (peak.mjs). */
export function peakKb(): number;

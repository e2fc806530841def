import type { Line } from './lines';

export function formatValue(value: number | null, unit: Line['unit']): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (unit === 'ms')
    return value < 1
      ? `${(value * 1000).toFixed(1)} µs`
      : value < 100
        ? `${value.toFixed(2)} ms`
        : value < 10_000
          ? `${Math.round(value)} ms`
          : `${(value / 1000).toFixed(1)} s`;
  if (unit === 'KB') return `${Math.round(value)} KB`;
  if (unit === 'MB') return `${Math.round(value)} MB`;
  return String(Math.round(value * 10) / 10);
}

/** The bench's table: what, median, floor (and what it is), ratio, target, met or not. */
export function formatTable(lines: readonly Line[]): string {
  const rows = lines.map((l) => [
    l.what,
    formatValue(l.value, l.unit),
    l.floor === null ? '' : formatValue(l.floor, l.unit),
    l.floor && l.floor > 0 && l.unit !== 'count' ? `${(l.value / l.floor).toFixed(2)}×` : '',
    l.floorWhat,
    l.target,
    l.ok === null ? '' : l.ok ? 'ok' : 'MISSED',
  ]);
  const head = ['', 'median', 'floor', 'ratio', 'floor is', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}

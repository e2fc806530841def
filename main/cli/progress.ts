import type { CheckProgress } from '../core/health';

const seconds = (ms: number) =>
  ms < 60_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
const count = (n: number) => n.toLocaleString('en');
const size = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 2 ** 20))} MB`;

/**
 * `wardkeep verify`'s progress (issue 17): on a big database the check takes minutes, so every few
 * seconds it says which step it is on, how far it has got and, where it can tell, how long is left.
 * A check done before the first tick prints nothing, so a small database's output stays as it was.
 */
export function checkProgress(write: (line: string) => void, options: { everyMs?: number; now?: () => number } = {}) {
  const now = options.now ?? (() => Date.now());
  const started = now();
  let latest: CheckProgress | null = null;
  let stepStarted = started;
  // When each step was first heard of: the integrity check runs beside the others (health.ts) and
  // is named again when they are done, its time counted from its start.
  const firstHeard = new Map<CheckProgress['phase'], number>();
  let spoke = false;

  const line = (p: CheckProgress, t: number): string => {
    const inStep = t - stepStarted;
    switch (p.phase) {
      case 'integrity':
        return `Checking every page of the database (${size(p.total)}): ${seconds(inStep)} so far.`;
      case 'chain': {
        if (p.done === 0 || p.total === 0) return `Checking the audit trail (${count(p.total)} entries): starting.`;
        const left = (inStep / p.done) * (p.total - p.done);
        return `Checking the audit trail: ${count(p.done)} of ${count(p.total)} entries (${Math.floor((100 * p.done) / p.total)}%), about ${seconds(left)} left for this step.`;
      }
      case 'records': {
        if (p.done === 0 || p.total <= 1) return `Checking every record against its audit entry: ${seconds(inStep)} so far.`;
        const done = Math.min(p.done, p.total);
        const left = (inStep / done) * (p.total - done);
        return `Checking every record against its audit entry: ${count(done)} of ${count(p.total)} records (${Math.floor((100 * done) / p.total)}%), about ${seconds(left)} left for this step.`;
      }
      case 'stock': {
        if (p.done === 0 || p.total === 0) return `Checking the stock figures against their movements (${count(p.total)} movements): ${seconds(inStep)} so far.`;
        const done = Math.min(p.done, p.total);
        const left = (inStep / done) * (p.total - done);
        return `Checking the stock figures against their movements: ${count(done)} of ${count(p.total)} movements (${Math.floor((100 * done) / p.total)}%), about ${seconds(left)} left for this step.`;
      }
      case 'checked':
        return `Checked in ${seconds(t - started)}.`;
    }
  };

  const tick = () => {
    if (!latest || latest.phase === 'checked') return;
    spoke = true;
    write(`${line(latest, now())}\n`);
  };
  const timer = options.everyMs === 0 ? null : setInterval(tick, options.everyMs ?? 5000);
  timer?.unref();

  return {
    onProgress(p: CheckProgress): void {
      const t = now();
      if (!firstHeard.has(p.phase)) firstHeard.set(p.phase, t);
      if (!latest || latest.phase !== p.phase) stepStarted = firstHeard.get(p.phase)!;
      latest = p;
      if (p.phase === 'checked' && spoke) write(`${line(p, t)}\n`);
    },
    /** For tests: what the next tick would print. */
    tick,
    stop(): void {
      if (timer) clearInterval(timer);
    },
  };
}

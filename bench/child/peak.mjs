// A bench child's own peak memory, in KB. On Linux a process started by spawnSync inherits the
// parent's ru_maxrss across fork and exec, so `process.resourceUsage().maxRSS` reports the bench's
// own peak whenever that is higher (a full run's parent holds a few hundred MB by the import group).
// VmHWM belongs to the process's address space, which exec makes new: it is the child's alone.
import { readFileSync } from 'node:fs';

export function peakKb() {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // Not Linux: the operating system's figure, which there is the process's own.
  }
  return process.resourceUsage().maxRSS;
}

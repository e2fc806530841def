import { setFlagsFromString } from 'node:v8';

/**
 * V8 options the main process runs with, set by its two entries (the app's main/app/index.ts and the
 * command line's main/cli/main.ts) before any work, and by the bench, so what it measures is what
 * runs. They are process-wide: the worker threads (imports, backups, verify, sync) start after them
 * and share them.
 *
 * `--no-allocation-site-pretenuring` (issue 17). V8 watches each place in the code that makes
 * objects, and when most of its objects are still alive at a young-generation collection it makes
 * the place's later objects directly in the old generation. Checking a file row by row through the
 * add form's zod schema trips it by chance: some runs of the same 50,000-row check took 1.1–1.4 s,
 * others 1.8–2.4 s, their short-lived objects promoted until a full collection, and the process's
 * peak memory 205 MB or 330–345 MB (bimodal, as V8's sampling fell; zod's object parse alone: 0.2 s
 * or 0.9–1.3 s). Without it every run took the fast path. docs/performance.md has the measurements,
 * the whole bench before and after among them.
 *
 * Node's documentation warns that a flag set after V8 started may do nothing or worse. This one is
 * a switch V8 reads at each collection's decision and when a place makes objects:
 * test/unit/core/heap-tuning.test.ts shows its effect in a process of its own, set as this sets it.
 * Electron's main process starts V8 with `--no-freeze-flags-after-init` (its
 * shell/browser/javascript_environment.cc) so that Node's `v8.setFlagsFromString` works there too.
 */
export const HEAP_FLAGS = ['--no-allocation-site-pretenuring'] as const;

export function tuneHeap(): void {
  for (const flag of HEAP_FLAGS) setFlagsFromString(flag);
}

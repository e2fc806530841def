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
 * add form's zod schema trips it by chance: in about half the runs of the same 50,000-row file the
 * schema's short-lived objects were promoted until a full collection, the check took about 0.7 s
 * longer and the process peaked at 330–345 MB instead of about 205 MB. Without it every run took the
 * fast path, and the due lists and the compliance report at 50,000 devices gained too
 * (docs/performance.md, "the import's check without V8's allocation-site pretenuring").
 *
 * Node's documentation warns that a flag set after V8 started may do nothing or worse; this one
 * takes effect when set this way (test/unit/core/heap-tuning.test.ts shows it in a process of its
 * own). Electron's main process starts V8 with `--no-freeze-flags-after-init` (its
 * shell/browser/javascript_environment.cc) so that Node's `v8.setFlagsFromString` works there too.
 */
export function tuneHeap(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

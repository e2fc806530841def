import type { Actor, Core } from '../core/context';
import type { KeyProtector } from '../core/ports';
import type { CliIo } from './io';

export type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

export interface CommandContext {
  /** Options parsed against the command's spec (strings, booleans, or arrays with `multiple`). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Positional arguments after the command's own name(s). */
  args: string[];
  io: CliIo;
  actor: Actor;
  dataDir: string;
  /** Opens (creating and migrating if needed) the database in the data folder; `anchors: false` writes nothing beside it. */
  openCore(options?: { anchors?: boolean }): Core & { close(): void };
  /** True when the data folder holds no database yet, nor signs of a lost one: a hospital starting, or a mistyped --data-dir. */
  isNewDataFolder(): boolean;
  /**
   * A new, empty database in a temporary folder, deleted when closed: an import into a new data
   * folder checks its file against it, so a refused file or a dry run makes nothing there.
   */
  openEmptyCore(): Core & { close(): void };
  /** How the audit anchors' key is kept (the desktop app's `--cli` passes its safeStorage). */
  keyProtectors: readonly KeyProtector[];
}

export interface Command {
  /** One or two words: `verify`, `import equipment`. */
  name: string;
  summary: string;
  /** Shown in the usage line, e.g. `FILE [--dry-run]`. */
  usage?: string;
  options: Record<string, OptionSpec>;
  /**
   * Set on a command that only reads the database. Unset, a command may make a new one (an import
   * when a hospital starts). `reads`: it must be there already (a folder without one, a mistyped
   * --data-dir, is said, exit 1, and nothing is made), and a folder this account cannot write is
   * still read (see core/db/open.ts, snapshot). `exists`: it must be there already, as for
   * `reads`, but the command writes (a backup's record of itself, a sync's cursor), so a folder it
   * cannot write is said, not read from a copy.
   */
  database?: 'reads' | 'exists';
  run(ctx: CommandContext): number | Promise<number>;
}

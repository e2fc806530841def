import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { preMigrationBackup } from '../core/backup/recover';
import { storageError } from '../core/dispatcher/errors';
import { DatabaseDamagedError, DatabaseRefusedError } from '../core/errors';
import { DB_FILE, dataFolderProblem } from '../core/db/open';
import { missingDatabaseSigns, openCore } from '../core/open-core';
import { DATA_DIR_FLAG_EMPTY, resolveDataDir } from '../core/paths';
import type { KeyProtector } from '../core/ports';
import { fileKeyProtector } from '../core/ports';
import type { Command, OptionSpec } from './command';
import { dueCommand } from './commands/due';
import { backupCommand } from './commands/backup';
import { exportEquipmentCommand } from './commands/export-equipment';
import { importEquipmentCommand } from './commands/import-equipment';
import { importHistoryCommand } from './commands/import-history';
import { importPlansCommand } from './commands/import-plans';
import { verifyCommand } from './commands/verify';
import { hubEnrolCodeCommand, hubRevokeCommand, hubServeCommand } from './commands/hub';
import { syncCommand, syncEnrolCommand, syncStatusCommand } from './commands/sync';
import { repairsCommand, reportDowntimeCommand, reportFailuresCommand } from './commands/repairs';
import type { CliIo } from './io';
import { cliActor, EXIT, UsageError } from './io';

/** Every command of docs/cli.md; a new command is added here and there. */
export const commands: Command[] = [
  verifyCommand,
  importEquipmentCommand,
  exportEquipmentCommand,
  backupCommand,
  importPlansCommand,
  importHistoryCommand,
  dueCommand,
  hubServeCommand,
  hubEnrolCodeCommand,
  hubRevokeCommand,
  syncEnrolCommand,
  syncCommand,
  syncStatusCommand,
  repairsCommand,
  reportDowntimeCommand,
  reportFailuresCommand,
];

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

function usage(): string {
  const lines = commands.map((c) => `  wardkeep ${c.name}${c.usage ? ' ' + c.usage : ''}\n      ${c.summary}`);
  return `Usage: wardkeep [--data-dir DIR] COMMAND [options]\n\nCommands:\n${lines.join('\n')}\n\nThe data folder is --data-dir, else WARDKEEP_DATA_DIR, else the desktop app's own data folder.\n`;
}

const commandUsage = (c: Command) => `  wardkeep ${c.name}${c.usage ? ' ' + c.usage : ''}\n      ${c.summary}\n`;

/** `wardkeep due --help`, and what follows a usage error of that command. */
const oneCommandUsage = (c: Command) => `Usage: wardkeep ${c.name}${c.usage ? ' ' + c.usage : ''}\n  ${c.summary}\n`;

/**
 * parseArgs's refusals, as sentences naming the option and the command (its own words are about
 * its syntax: "Option '--format <value>' argument missing").
 */
function optionProblem(err: unknown, command: Command): string {
  const message = (err as Error).message;
  const code = (err as { code?: unknown }).code;
  // `--format`, or `-x`; of "'-h, --help'" the long name.
  const option = /--[A-Za-z0-9-]+/.exec(message)?.[0] ?? /'(-[^' ,]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `${option} is not an option of wardkeep ${command.name}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /does not take an argument/.test(message)) return `${option} takes no value: write ${option} alone.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // The values the usage line shows for it: `--format table|csv|json|ics`, `--out FILE`.
    const shown = new RegExp(`${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ([^\\]\\s]+)`).exec(command.usage ?? '')?.[1];
    return `${option} needs a value${shown ? `: ${option} ${shown}` : ''}.`;
  }
  return message.replace(/\. To specify a positional.*$/s, '.');
}

/** The commands whose names start with these words (`import` → import equipment, plans, history). */
function commandsStartingWith(words: readonly string[]): Command[] {
  return commands.filter((c) => words.every((w, i) => c.name.split(' ')[i] === w));
}

/** Finds the command named by the leading positional words, longest name first. */
function findCommand(positionals: string[]): { command: Command; rest: string[] } | null {
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of sorted) {
    const words = command.name.split(' ');
    if (words.every((w, i) => positionals[i] === w)) return { command, rest: positionals.slice(words.length) };
  }
  return null;
}

/** Errors that say this account cannot write the data folder (read-only share, no permission). */
const FOLDER_NOT_WRITABLE = /^(SQLITE_CANTOPEN|SQLITE_READONLY|EACCES$|EPERM$|EROFS$)/;

/**
 * Opens the data folder's database as the command needs it (Command.database): a command that
 * must find a database never makes one (a mistyped --data-dir is said, not answered with an
 * empty due list), and one that only reads still reads from a folder it cannot write.
 */
function openDataFolder(command: Command, options: Parameters<typeof openCore>[0]): ReturnType<typeof openCore> {
  if (!command.database) return openCore(options);
  const { dataDir } = options;
  const notAFolder = dataFolderProblem(dataDir);
  if (notAFolder) throw new DatabaseRefusedError(notAFolder);
  // A folder that shows a database was there (backups, its head log) is damage, said by openCore.
  if (!existsSync(path.join(dataDir, DB_FILE)) && !missingDatabaseSigns(dataDir)) {
    throw new DatabaseRefusedError(
      `There is no Wardkeep database in ${dataDir} (${DB_FILE}), and ${command.name} never creates one. Check --data-dir (or WARDKEEP_DATA_DIR) names the folder that holds it. Nothing was created.`,
    );
  }
  const existing = { ...options, mustExist: missingDatabaseSigns(dataDir) ?? `There is no Wardkeep database in ${dataDir} (${DB_FILE}).` };
  try {
    return openCore(existing);
  } catch (err) {
    const code = String((err as { code?: unknown } | null)?.code ?? '');
    if (command.database !== 'reads' || !FOLDER_NOT_WRITABLE.test(code)) throw err;
    // Read from a copy in memory; nothing is written beside the database (no anchors: nothing is committed).
    return openCore({ ...existing, snapshot: true, anchors: false });
  }
}

/** The data folder holds no database yet, nor signs of a lost one (a folder that is a file is said by openCore). */
function isNewDataFolder(dataDir: string): boolean {
  return !dataFolderProblem(dataDir) && !existsSync(path.join(dataDir, DB_FILE)) && !missingDatabaseSigns(dataDir);
}

/** A new database in a temporary folder, the folder deleted on close (CommandContext.openEmptyCore). */
function openEmptyCore(keyProtectors: readonly KeyProtector[]): ReturnType<typeof openCore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wardkeep-check-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const core = openCore({ dataDir: dir, anchors: false, keyProtectors });
    return {
      ...core,
      close: () => {
        core.close();
        remove();
      },
    };
  } catch (err) {
    remove();
    throw err;
  }
}

/** Runs the CLI and returns its exit code. `io` is injectable so tests run it in-process. */
export async function runCli(argv: string[], io: CliIo, options: { keyProtectors?: readonly KeyProtector[] } = {}): Promise<number> {
  // Once known, a usage error is followed by this command's usage, not every command's.
  let current: Command | null = null;
  try {
    // First pass, lenient: which command is it?
    const loose = parseArgs({ args: argv, options: GLOBAL_OPTIONS, allowPositionals: true, strict: false });
    if (loose.positionals.length === 0) {
      if (loose.values.help) {
        io.stdout(usage());
        return EXIT.ok;
      }
      throw new UsageError('No command given.');
    }
    const found = findCommand(loose.positionals);
    if (!found) {
      // `wardkeep import --help`: the usage of each command starting with those words.
      const family = commandsStartingWith(loose.positionals);
      if (loose.values.help && family.length > 0) {
        io.stdout(`Usage:\n${family.map(commandUsage).join('')}`);
        return EXIT.ok;
      }
      throw new UsageError(`Unknown command "${loose.positionals.join(' ')}".`);
    }
    const { command } = found;
    current = command;
    // Second pass, strict: the command's own options plus the global ones.
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (err) {
      // `--data-dir` last, or followed by another option: parseArgs's words are about its syntax.
      if (/'--data-dir\b/.test((err as Error).message)) throw new UsageError(DATA_DIR_FLAG_EMPTY);
      throw new UsageError(optionProblem(err, command));
    }
    if (parsed.values.help) {
      // `wardkeep sync --help`: sync, and the commands under it (sync enrol, sync status).
      const family = commandsStartingWith(command.name.split(' '));
      io.stdout(
        family.length > 1
          ? `Usage:\n${family.map(commandUsage).join('')}`
          : oneCommandUsage(command),
      );
      return EXIT.ok;
    }
    const flag = parsed.values['data-dir'] as string | undefined;
    // `--data-dir "$OLD"` with OLD unset must not quietly mean the PC's own, live database.
    if (flag !== undefined && !flag.trim()) throw new UsageError(DATA_DIR_FLAG_EMPTY);
    const dataDir = resolveDataDir(flag, io.env);
    const args = parsed.positionals.slice(command.name.split(' ').length);
    const keyProtectors = options.keyProtectors ?? [fileKeyProtector];
    return await command.run({
      values: parsed.values,
      args,
      io,
      actor: cliActor(),
      dataDir,
      keyProtectors,
      isNewDataFolder: () => isNewDataFolder(dataDir),
      openEmptyCore: () => openEmptyCore(keyProtectors),
      openCore: (open = {}) => openDataFolder(command, { dataDir, beforeMigrate: preMigrationBackup(dataDir), keyProtectors, ...open }),
    });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n\n${current ? `${oneCommandUsage(current)}\nwardkeep --help lists every command.\n` : usage()}`);
      return EXIT.usage;
    }
    if (err instanceof DatabaseRefusedError) {
      io.stderr(`${err.message}\n`);
      return EXIT.input;
    }
    if (err instanceof DatabaseDamagedError) {
      io.stderr(`${err.message} Nothing was changed. Restore a backup (start Wardkeep, which offers the newest good one; see "Your data" in the README).\n`);
      return EXIT.input;
    }
    // The app's own sentences for what a person can act on: the database held by another program
    // (the app writing), a full disk, a read-only folder. Each command writes in one transaction,
    // so nothing was changed.
    const storage = storageError(err);
    if (storage) {
      io.stderr(`${storage.message}\n`);
      return EXIT.input;
    }
    throw err;
  }
}

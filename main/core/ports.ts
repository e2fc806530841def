import type { PrintJob, PrintOutcome } from '../../shared/domain/report';

/**
 * What core asks of the shell it runs in, injected through createBackend's options. The Electron
 * shell provides them (main/app); the CLI, the tests and the e2e harness may leave them out, and a
 * channel that needs one then says it needs the desktop app.
 */
export interface PrintPort {
  /** Loads `job.route` in a hidden window and prints it (the system dialog) or saves it as PDF (a save dialog). */
  run(job: PrintJob): Promise<PrintOutcome>;
}

/**
 * The background sync with the hospital's hub (the app runs it in a worker thread, the e2e harness
 * in process). Without it, joining still works and the next start of the app syncs.
 */
export interface SyncPort {
  /** Starts syncing in the background if this PC is in a hub and it is not running (after joining). */
  start(): void;
  /** Stops it, and resolves once no sync is running (before leaving the hub). */
  stop(): Promise<void>;
}

/** The desktop app's folder dialog, for the backup folder: the page never names a path itself. */
export interface FolderPort {
  /** Shows the dialog starting at `current`; the folder chosen, or null when the person cancelled. */
  choose(options: { title: string; current: string }): Promise<string | null>;
}

export interface BackendPorts {
  print?: PrintPort | undefined;
  sync?: SyncPort | undefined;
  folders?: FolderPort | undefined;
}

/**
 * How the audit anchors' key is kept on this PC's disk (issue 13, item 3): wrapped by the shell's
 * secret store when it has one (Electron's safeStorage: Windows DPAPI, the macOS Keychain, a Linux
 * secret service), so a copy of the data folder alone does not carry a usable key; otherwise the
 * key is stored as is, in a file only its owner may read. The core stays plain Node: it is given
 * the protectors it may use, best first.
 */
export interface KeyProtector {
  /** Stored in the key file, so the next start knows which protector unwraps it. */
  name: 'safeStorage' | 'file';
  wrap(key: Buffer): string;
  /** Null when this protector cannot unwrap it here (another account's safeStorage, another PC). */
  unwrap(data: string): Buffer | null;
}

/** The key kept as is (base64) in a file with owner-only permissions: the CLI in plain Node, the tests. */
export const fileKeyProtector: KeyProtector = {
  name: 'file',
  wrap: (key) => key.toString('base64'),
  unwrap: (data) => {
    const key = Buffer.from(data, 'base64');
    return key.length === 32 ? key : null;
  },
};

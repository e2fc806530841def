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

export interface BackendPorts {
  print?: PrintPort | undefined;
}

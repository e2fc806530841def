import type { AppErrorValue, ErrorCode } from '../../shared/result';

/** A failure the user can act on. Thrown inside core, turned into an error value at the boundary. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: AppErrorValue['details'];

  constructor(code: ErrorCode, message: string, options: { field?: string; details?: AppErrorValue['details'] } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }

  toValue(): AppErrorValue {
    const value: AppErrorValue = { code: this.code, message: this.message };
    if (this.field !== undefined) value.field = this.field;
    if (this.details !== undefined) value.details = this.details;
    return value;
  }
}

/**
 * A background check stopped part-way because Wardkeep is closing (stopWorker): not a finding. It
 * recorded nothing, so it runs again at the next start.
 */
export class CheckStoppedError extends Error {
  constructor() {
    super('The check was stopped: Wardkeep is closing.');
    this.name = 'CheckStoppedError';
  }
}

/**
 * A report stopped part-way in its worker because Wardkeep is closing (stopWorker): a read, so
 * nothing is lost, and the window that asked for it is closing too. Its caller is told in its
 * sentence; it is no fault, so it is not logged as one.
 */
export class ReportStoppedError extends AppError {
  constructor() {
    super('internal', 'The report was not finished: Wardkeep is closing.');
    this.name = 'ReportStoppedError';
  }
}

/** Raised when the database cannot be opened safely; the app and CLI show the message as is. */
export class DatabaseRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseRefusedError';
  }
}

/**
 * The data folder holds a database that is damaged beyond opening as Wardkeep's: a file cut to
 * nothing, one with no Wardkeep data in it, or none at all where backups show there was one. Never
 * taken for a new install (the next person would become the administrator): the app offers the
 * newest good backup; the command line says so and changes nothing.
 */
export class DatabaseDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseDamagedError';
  }
}

/**
 * A refusal that must leave its own record behind: a wrong PIN counts towards the lockout and is
 * audited even though the call fails. Thrown inside a write; the dispatcher commits what was
 * written so far (and nothing after the throw), then answers with the error.
 */
export class RecordedRefusal extends AppError {
  constructor(code: ErrorCode, message: string, options: { field?: string; details?: AppErrorValue['details'] } = {}) {
    super(code, message, options);
    this.name = 'RecordedRefusal';
  }
}

import { z } from 'zod';
import { channel } from './channel';

export interface AppInfo {
  version: string;
  /** Where the database lives, shown in Settings and the About box. */
  dataDir: string;
  pcId: string;
  schemaVersion: number;
  /** The PC's local calendar date, as the back end sees it (docs/scheduling.md, "Dates"). */
  today: string;
}

/** The start-up check of the audit trail, for the warning supervisors see. */
export interface AppHealth {
  auditChain: { state: 'checking' } | { state: 'ok'; entries: number } | { state: 'broken'; entries: number; seq: number; message: string };
  /** The trail against the heads recorded outside the database (issue 13): the head log, the backups' heads. */
  anchors: { state: 'checking' } | { state: 'ok'; head: string | null } | { state: 'disagree'; message: string };
  /** The deep check of every page (`quick_check`), run in the background on its schedule (docs/data.md). */
  integrity: { state: 'checking' } | { state: 'ok'; checkedAt: string } | { state: 'damaged'; message: string };
  /**
   * The deep check's stock figures against their movements, from the last deep check of this run of the
   * app: 'not_checked' when none has run since it started (the weekly one is not due) or the file is
   * damaged; 'changed' holds the first 50 sentences (item, place, lot, both figures), `more` the rest.
   */
  stock: { state: 'checking' } | { state: 'not_checked' } | { state: 'ok' } | { state: 'changed'; findings: string[]; more: number };
}

export const appChannels = {
  'app.health': channel<AppHealth>()({ input: z.object({}).strict(), access: 'supervisor', writes: false }),
  'app.info': channel<AppInfo>()({ input: z.object({}).strict(), access: 'public', writes: false }),
};

import { z } from 'zod';
import type { Role } from '../domain/common';
import { id } from '../domain/common';
import { channel } from './channel';

/**
 * This PC and the hospital's hub (docs/sync.md): joining with a one-time code, the sync status the
 * header shows, the conflict log a supervisor resolves, and what other PCs changed. A PC in no hub
 * answers `sync.status` with state `not_enrolled` and works exactly as before.
 */

export type SyncStateName = 'not_enrolled' | 'joining' | 'syncing' | 'synced' | 'offline' | 'revoked' | 'error' | 'never_synced';

export interface JoinProgressView {
  phase: 'download' | 'recompute' | 'done';
  /** Rows downloaded so far, of `total`. */
  done: number;
  total: number;
}

export interface SyncStatusView {
  /** The hub's address; null when this PC is in no hub. */
  hub: string | null;
  /** The pinned certificate's SHA-256 fingerprint. */
  hubFingerprint: string | null;
  /** This PC's name at the hub. */
  pcName: string | null;
  state: SyncStateName;
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  /** Since when the hub could not be reached; null when it could at the last attempt. */
  offlineSince: string | null;
  lastError: string | null;
  /** Changes made here that the hub does not have yet. */
  pendingOut: number;
  /** Concurrent edits no supervisor has looked at yet. */
  conflicts: number;
  /** Names two PCs gave two rows at once (asset tags, user names…). */
  clashes: number;
  /** Changes the hub refused, and rows changed outside Wardkeep (never sent). */
  quarantined: number;
  /** Hub time minus this PC's time at the last contact, in ms. */
  clockOffsetMs: number | null;
  clockWarning: string | null;
  /** A new PC's download of the hospital, while it runs. */
  join: JoinProgressView | null;
  /** Change-counting triggers removed outside Wardkeep, and for a week those found and put back (sentences; days as YYYY-MM-DD). */
  captureProblems: string[];
  /** Whether this PC has downloaded the hospital (false while a new PC joins, or cannot reach the hub to). */
  joined: boolean;
  /** The newest of what the hub refused and of the rows changed outside Wardkeep, newest first (empty for ward staff). */
  quarantine: QuarantineView[];
}

/** One change the hub refused, or a row changed outside Wardkeep and not sent. */
export interface QuarantineView {
  table: string;
  rowKey: string;
  reason: string;
  at: string;
}

/** What the hub's address shows before anyone trusts it: the certificate to compare. */
export interface HubPeek {
  hub: string;
  /** SHA-256 of the hub's certificate, as the hub printed it at its first start (AA:BB:…). */
  fingerprint: string;
}

export interface JoinResult {
  hub: string;
  pcName: string;
  fingerprint: string;
}

/** A PC the hub knows, for administrators. */
export interface HubPcView {
  name: string;
  pcId: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  lastPushAt: string | null;
  revokedAt: string | null;
  thisPc: boolean;
}

export interface ConflictSide {
  /** The value in words: "Ward 4B > Bay 2", "Out of service". */
  text: string;
  /** Who made it, from that PC's audit trail, when known. */
  who: string | null;
  /** The PC's name at the hub ("this PC (Ward 4B)" for this one). */
  pc: string;
  at: string;
}

export interface ConflictItem {
  id: string;
  table: string;
  /** What the row is, for people: a device's tag and name, a user's name… */
  row: string;
  /** The device's id when the row is a device (a link to its page). */
  equipmentId: string | null;
  /** The fields, as people call them ("location", "status"). */
  fields: string[];
  /** The value in force on every PC. */
  winner: ConflictSide;
  /** The value that lost, kept here. */
  loser: ConflictSide;
  /**
   * An open conflict whose fields were changed again since by a later edit: what is in force now, in
   * words ("Use the other" is refused; "Keep" closes it, that edit standing). Null while `winner` stands.
   */
  changedSince: string | null;
  /** `restrictive`: a status clash, resolved to the more restrictive status. */
  rule: 'latest' | 'restrictive';
  /** Why the value in force stands, in a sentence. */
  why: string;
  /** The least role that may decide it: whoever may change such a row elsewhere (users and settings are the administrator's). */
  resolveRole: Role;
  /**
   * Two decisions of one conflict made on two PCs apart (each side a decision, `why` saying what
   * stands now): only Keep is offered, marking it looked at; there is no other value to use.
   */
  twoDecisions: boolean;
  detectedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: 'kept' | 'used_other' | null;
}

/** One row of a name two PCs gave at once. */
export interface ClashRow {
  id: string;
  /** The row for people: "DF-0100 Defibrillator in 4B, General Hospital > Ward 4B". */
  text: string;
  /** Set for a device (a link to its page) or a user (a link to the Users screen). */
  equipmentId: string | null;
  userId: string | null;
}

/** A name two or more rows in use share because two PCs made them at once, or names of rows in use that print alike. */
export interface ClashItem {
  /** What the name is: "asset tag", "user name"; "user names", "location names"… for names that print alike. */
  label: string;
  name: string;
  rows: ClashRow[];
  /**
   * Set for names that differ but print alike: each name once, in the rows' order, and why it
   * matters ("so their signatures cannot be told apart"); each row's text then says what tells it apart.
   */
  alike?: { names: string[]; why: string };
}

/** One thing another PC changed that concerns this PC's ward. */
export interface RemoteChange {
  at: string;
  /** The id of the PC it was made on. */
  pc: string;
  who: string;
  /** In a sentence's words: "DF-0002 failed its safety test on Emergency". */
  text: string;
  equipmentId: string | null;
}

export interface RemoteChanges {
  /** Changes from other PCs not yet marked as seen here. */
  count: number;
  /** The newest, at most 20. */
  items: RemoteChange[];
  /** The ward they were counted for (this PC's ward), or null for the whole hospital. */
  wardPath: string | null;
}

const none = z.object({}).strict();

const HTTPS_ADDRESS = /^https:\/\/[^\s/?#]+(:\d{1,5})?\/?$/i;
/** The largest TCP port. */
const MAX_PORT = 65_535;

/**
 * An https:// address; the hub's certificate is checked by its fingerprint, not by a CA. It must
 * also be an address a URL can be made of (a port from 1 to 65535, one port, a host name's
 * characters): the form says so beside the field, rather than the join failing inside.
 */
export const HubAddress = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(500)
  .refine((v) => HTTPS_ADDRESS.test(v), {
    message: 'must start with https://, for example https://hub.hospital.local:8443',
  })
  .superRefine((v, ctx) => {
    if (!HTTPS_ADDRESS.test(v)) return;
    const url = URL.canParse(v) ? new URL(v) : null;
    const port = url ? (url.port === '' ? 443 : Number(url.port)) : 0;
    if (url && url.hostname !== '' && port >= 1 && port <= MAX_PORT) return;
    ctx.addIssue({
      code: 'custom',
      message: `"${v}" is not an address: give it as https://HOST:PORT, for example https://hub.hospital.local:8443 (a port from 1 to ${MAX_PORT}).`,
      params: { sentence: true },
    });
  });

/** The hub prints codes as XXXX-XXXX-XXXX-XXXX: 16 letters and digits, dashes and spaces ignored. */
export const EnrolCode = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(40)
  .refine((v) => /^[0-9A-Z]{16}$/i.test(v.replace(/[\s-]/g, '')), {
    message: 'must be the 16 letters and digits the hub printed, XXXX-XXXX-XXXX-XXXX',
  });

export const Fingerprint = z
  .string()
  .trim()
  .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/i, { message: 'is not a SHA-256 fingerprint' });

export const syncChannels = {
  /**
   * The header's sync line and its details: every signed-in user sees whether the list is current
   * (ward staff read DO NOT USE too). Ward staff get the state and the counts, without the pinned
   * certificate, the rows refused and the capture problems (main/core/hospital/handlers.ts).
   */
  'sync.status': channel<SyncStatusView>()({ input: none, access: 'ward_staff', writes: false }),
  /** Connects to the address and reads the certificate it shows, trusting nothing and sending no data. */
  'sync.peek': channel<HubPeek>()({ input: z.object({ hub: HubAddress }).strict(), access: 'admin', writes: false }),
  /**
   * Joins the hub with a one-time code. `fingerprint` is the one the administrator saw and compared
   * with the hub's printout: a hub showing another certificate by now is refused before anything is sent.
   */
  'sync.join': channel<JoinResult>()({
    input: z
      .object({
        hub: HubAddress,
        code: EnrolCode,
        fingerprint: Fingerprint,
        fingerprintChecked: z.literal(true, {
          message: 'is needed: compare the fingerprint with the one the hub printed, then tick the box',
        }),
      })
      .strict(),
    access: 'admin',
    writes: true,
  }),
  /** Leaves the hub: syncing stops, this PC keeps all its data and works alone. */
  'sync.leave': channel<SyncStatusView>()({
    input: z.object({ confirm: z.literal(true, { message: 'must be confirmed' }) }).strict(),
    access: 'admin',
    writes: true,
  }),
  /** The PCs the hub knows and when each last synced (asked of the hub). */
  'sync.pcs': channel<HubPcView[]>()({ input: none, access: 'admin', writes: false }),
  /** Open conflicts (status clashes first, newest first); with `all`, resolved ones after. */
  'sync.conflicts': channel<ConflictItem[]>()({
    input: z.object({ all: z.boolean().optional() }).strict(),
    access: 'supervisor',
    writes: false,
  }),
  /** Names two PCs gave two rows in use at once (an asset tag, a user's name…), each with its rows. */
  'sync.clashes': channel<ClashItem[]>()({ input: none, access: 'supervisor', writes: false }),
  /**
   * "Keep" marks it looked at; "use the other" writes the losing value back, a new audited edit that
   * syncs (a device's status through the status service). Users and settings need an administrator.
   */
  'sync.resolveConflict': channel<ConflictItem>()({
    input: z
      .object({
        id,
        choice: z.enum(['kept', 'used_other']),
        // The row's `changedSince` as the page showed it: "Keep" is refused when what is in force now is not what was shown.
        changedSince: z.string().max(10_000).nullable().optional(),
      })
      .strict(),
    access: 'supervisor',
    writes: true,
  }),
  /** What other PCs changed for this PC's ward since it was last marked seen here. */
  'sync.changes': channel<RemoteChanges>()({ input: none, access: 'technician', writes: false }),
  'sync.changesSeen': channel<RemoteChanges>()({ input: none, access: 'technician', writes: true }),
};

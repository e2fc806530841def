import { z } from 'zod';

/**
 * The messages between a ward PC and the hub (JSON over HTTPS, every request signed with the
 * PC's key, see auth.ts). Both sides parse what they receive with these schemas.
 *
 * A change is one row-level write captured on a PC: `seq` numbers the changes of one replica
 * without gaps; `data` holds the fields written (whole merge groups), `base` the field clocks the
 * writer had when it wrote them, so the hub can tell a later edit from a concurrent one.
 * A log entry is what the hub made of a change: the whole row as it now stands with every field's
 * clock, so a PC can apply entries in any order, field by field, newest clock winning.
 */

export const PROTOCOL_VERSION = 1;

const jsonObject = z.record(z.string(), z.unknown());

export const Change = z.object({
  seq: z.number().int().positive(),
  hlc: z.string().min(1).max(200),
  tbl: z.string().min(1).max(100),
  pk: z.string().min(2).max(1000),
  op: z.enum(['insert', 'update', 'delete']),
  data: jsonObject,
  base: z.record(z.string(), z.string()).nullable(),
});
export type Change = z.infer<typeof Change>;

export const PushRequest = z.object({
  replica: z.string().min(1).max(100),
  changes: z.array(Change).min(1).max(5000),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const Receipt = z.object({
  chain: z.string(),
  seq: z.number().int(),
  hash: z.string(),
  hubTime: z.string(),
  /** The hub's ECDSA P-256 signature (base64, DER) over `receiptText`. */
  signature: z.string(),
});
export type Receipt = z.infer<typeof Receipt>;

/** What a receipt's signature covers. */
export function receiptText(r: Omit<Receipt, 'signature'>): string {
  return `wardkeep-audit-receipt\n${r.chain}\n${r.seq}\n${r.hash}\n${r.hubTime}`;
}

export const Quarantined = z.object({ seq: z.number().int(), tbl: z.string(), pk: z.string(), reason: z.string() });
export type Quarantined = z.infer<typeof Quarantined>;

/**
 * A change of this PC's that the hub refused and has since taken (a user change quarantined for
 * want of its audit entry, taken when a later push brought it: hub schema versions 4 and 5). Named
 * by its history and number, which no other change shares (a later refusal of the same row has
 * another number), with the table and key its refusal named: the PC lists that refusal no more.
 */
export const Taken = z.object({
  replica: z.string().min(1).max(100),
  seq: z.number().int().positive(),
  tbl: z.string().min(1).max(100),
  pk: z.string().min(2).max(1000),
});
export type Taken = z.infer<typeof Taken>;

export const PushResponse = z.object({
  /** Every change of the replica up to this seq is at the hub (accepted or quarantined). */
  acceptedThrough: z.number().int().nonnegative(),
  quarantined: z.array(Quarantined),
  receipts: z.array(Receipt),
  hubTime: z.number(),
  /** This PC's refused changes this push had the hub take. Absent from a hub before it was added, and when there are none. */
  taken: z.array(Taken).optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;

export interface LogEntry {
  tbl: string;
  pk: string;
  /** For a mutable row: every field, `_exists` included. For an append-only row: the row. */
  data: Record<string, unknown>;
  /** Field clocks of a mutable row; null for an append-only row. */
  clocks: Record<string, string> | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checked by hand rather than field by field: a new PC receives millions of these, and what each
 * field holds is checked where it is written (the table's own types and CHECK constraints).
 */
export const LogEntry = z.custom<LogEntry>(
  (v) =>
    isObject(v) &&
    typeof v.tbl === 'string' &&
    typeof v.pk === 'string' &&
    isObject(v.data) &&
    (v.clocks === null || (isObject(v.clocks) && Object.values(v.clocks).every((c) => typeof c === 'string'))),
  { message: 'not a log entry' },
);

export const PullRequest = z.object({
  replica: z.string().min(1).max(100),
  /** `xid:pos` of the last entry received, or empty for the beginning. */
  cursor: z.string().max(100),
  limit: z.number().int().min(1).max(10000),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const PullResponse = z.object({
  entries: z.array(LogEntry),
  cursor: z.string(),
  /** More entries are ready at once. */
  more: z.boolean(),
  hubTime: z.number(),
});
export type PullResponse = z.infer<typeof PullResponse>;

export const SnapshotStartResponse = z.object({
  /** Follow the log from here once the snapshot is loaded. */
  cursor: z.string(),
  /** Rows per table, for progress. */
  counts: z.record(z.string(), z.number()),
  hubTime: z.number(),
});

export const SnapshotPageRequest = z.object({
  tbl: z.string().min(1).max(100),
  /** The key (pk text) of the last row received from this table, or null for its first page. */
  after: z.string().nullable(),
  limit: z.number().int().min(1).max(50000),
});
export type SnapshotPageRequest = z.infer<typeof SnapshotPageRequest>;

export const SnapshotPageResponse = z.object({
  rows: z.array(LogEntry),
  /** Null when the table is done. */
  after: z.string().nullable(),
  hubTime: z.number(),
});
export type SnapshotPageResponse = z.infer<typeof SnapshotPageResponse>;

/**
 * A PC's enrolment the hub revoked, signed with the hub's key (its TLS key, as receipts are). Every
 * PC keeps the hub's list and shows it to the hub at each check-in: a hub put back from a backup made
 * before the revocation takes it again from the first PC that knew of it (HubStore.status).
 */
export const Revocation = z.object({
  pcId: z.string().min(1).max(100),
  /** The key of the enrolment revoked: the same PC joined again later, with a new key, is not. */
  publicKey: z.string().min(1).max(1000),
  revokedAt: z.string().min(1).max(40),
  /** The hub's ECDSA P-256 signature (base64, DER) over `revocationText`. */
  signature: z.string().min(1).max(400),
});
export type Revocation = z.infer<typeof Revocation>;

/** What a revocation's signature covers. */
export function revocationText(r: Omit<Revocation, 'signature'>, hubId: string): string {
  return `wardkeep-revocation\n${hubId}\n${r.pcId}\n${r.publicKey}\n${r.revokedAt}`;
}

/** The most revocations a status request carries (a hospital revokes a few PCs a year). */
export const MAX_REVOCATIONS = 10_000;

/** The most refusals a status request asks about (a PC lists a few, if any). */
export const MAX_REFUSED = 10_000;

export const StatusRequest = z.object({
  /** The changes this PC still holds to send, per replica: the hub says which it already has. */
  ranges: z.array(z.object({ replica: z.string().min(1).max(100), from: z.number().int(), to: z.number().int() })).max(100),
  /** The revocations this PC holds (the hub's list at its last check-in). Absent from a PC before it was added. */
  revocations: z.array(Revocation).max(MAX_REVOCATIONS).optional(),
  /**
   * The changes the hub refused that this PC lists (its newest MAX_REFUSED): the hub says which of
   * them it has since taken. Absent from a PC before it was added, and when it lists none.
   */
  refused: z
    .array(z.object({ replica: z.string().min(1).max(100), seq: z.number().int().positive() }))
    .max(MAX_REFUSED)
    .optional(),
});
export type StatusRequest = z.infer<typeof StatusRequest>;

export const MAX_KNOWN = 20_000;

export const StatusResponse = z.object({
  hubId: z.string(),
  pcName: z.string(),
  protocol: z.number(),
  hubTime: z.number(),
  /**
   * What the hub holds of each of this PC's replicas: the last seq and the hash of that change,
   * and the hashes of the changes it has in the range asked about (at most MAX_KNOWN).
   */
  replicas: z.record(z.string(), z.object({ seq: z.number().int(), hash: z.string(), known: z.record(z.string(), z.string()) })),
  /**
   * The last audit entry the hub holds of each of this PC's chains: where a history the hub lost
   * part of (its database put back from a backup) goes on. Absent from a hub before it was added.
   */
  audit: z.record(z.string(), z.number().int()).optional(),
  /** Every enrolment the hub holds as revoked, signed. Absent from a hub before it was added. */
  revocations: z.array(Revocation).optional(),
  /** Of the refusals the request asked about, those the hub has since taken. Absent from a hub before it was added. */
  taken: z.array(Taken).max(MAX_REFUSED).optional(),
});
export type StatusResponse = z.infer<typeof StatusResponse>;

export const PcsResponse = z.object({
  pcs: z.array(
    z.object({
      name: z.string(),
      pcId: z.string(),
      enrolledAt: z.string(),
      lastSeenAt: z.string().nullable(),
      lastPushAt: z.string().nullable(),
      revokedAt: z.string().nullable(),
    }),
  ),
  hubTime: z.number(),
});
export type PcsResponse = z.infer<typeof PcsResponse>;

export const EnrolRequest = z.object({
  /** Identifies the code without revealing it: hex of SHA-256("wardkeep-enrol-id:" + code), first 32. */
  codeId: z.string().length(32),
  pcId: z.string().min(1).max(100),
  replica: z.string().min(1).max(100),
  /** The PC's Ed25519 public key, SPKI PEM. */
  publicKey: z.string().min(1).max(2000),
  /** HMAC proving the PC holds the code and saw this hub's certificate (see enrolProof). */
  proof: z.string().min(1).max(200),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.object({
  pcName: z.string(),
  hubId: z.string(),
  /** The hub's receipt key (the public half of its TLS key), SPKI PEM. */
  receiptKey: z.string(),
  /** HMAC proving the hub holds the code too (see enrolProof). */
  proof: z.string(),
  hubTime: z.number(),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

/** The body of every error the hub answers with. */
export const HubError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type HubErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'unknown_pc'
  | 'revoked'
  | 'forbidden'
  | 'not_found'
  | 'bad_code'
  | 'fork'
  | 'gap'
  | 'too_large'
  | 'internal';

import type { Core } from '../../../main/core/context';

/** A signature row as the record form writes it (for tables' own rules, not the signing flow). */
export function insertSignature(
  core: Core,
  id: string,
  completionId: string,
  meaning: 'performed_by' | 'reviewed_by' | 'amended_by',
  userId?: string,
): void {
  const user = userId ?? (core.db.prepare('SELECT id FROM users LIMIT 1').pluck().get() as string);
  core.db
    .prepare(
      "INSERT INTO signatures (id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id) VALUES (?, ?, ?, 'Sam', 'supervisor', ?, ?, ?)",
    )
    .run(id, completionId, user, meaning, '2025-02-01T00:00:00.000Z', core.pcId);
}

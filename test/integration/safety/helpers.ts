import type { Database } from 'better-sqlite3';
import { expect } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import type { Backend } from '../../../main/core/backend';
import type { Session } from '../../../main/core/session';

/** Row counts of every table, the audit trail's head and whether its chain holds. */
export interface DbSnapshot {
  counts: Record<string, number>;
  auditHead: { seq: number; hash: string } | null;
  chainOk: boolean;
}

export function snapshot(db: Database): DbSnapshot {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = (db.prepare(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`).get() as { n: number }).n;
  const auditHead = (db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? null;
  return { counts, auditHead, chainOk: verifyAuditChain(db).ok };
}

export function integrityOk(db: Database): boolean {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.length === 1 && rows[0]!.integrity_check === 'ok';
}

/** Creates a location and `n` devices through the backend, as a person would. */
export async function seedEquipment(backend: Backend, session: Session, n: number, prefix = 'EQ'): Promise<{ locationId: string; ids: string[] }> {
  const loc = await backend.invoke(session, 'locations.create', { name: `Ward ${prefix}` });
  if (!loc.ok) throw new Error(loc.error.message);
  const locationId = loc.value.id;
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    const res = await backend.invoke(session, 'equipment.create', { assetTag: `${prefix}-${String(i).padStart(5, '0')}`, name: `Pump ${i}`, locationId });
    if (!res.ok) throw new Error(res.error.message);
    ids.push(res.value.id);
  }
  return { locationId, ids };
}

export function expectHealthy(db: Database): void {
  expect(integrityOk(db)).toBe(true);
  expect(verifyAuditChain(db)).toMatchObject({ ok: true });
}

import type { CompletionView, NotDoneReason, ReadingView, SignatureMeaning, SignatureView, StepView } from '../../../shared/domain/completion';
import type { Outcome } from '../../../shared/scheduling';
import { localDate } from '../clock';
import type { Core } from '../context';
import { AppError } from '../errors';
import { taskTypeMap } from '../plans/service';

interface CompletionRow {
  id: string;
  plan_id: string | null;
  equipment_id: string | null;
  stock_location_id: string | null;
  task: string;
  performed_at: string;
  performed_on: string;
  outcome: Outcome;
  outcome_override_reason: string | null;
  notes: string | null;
  details: string;
  minutes_spent: number | null;
  procedure_id: string | null;
  procedure_version: number | null;
  reference_equipment_id: string | null;
  reference_tag: string | null;
  reference_name: string | null;
  reference_not_current: number;
  amends_id: string | null;
  amend_reason: string | null;
  amended_by_id: string | null;
  performed_by_name: string;
  source: 'app' | 'cli' | 'import';
  created_at: string;
  entered_at: string | null;
  late_reason: string | null;
}

const SELECT = `
  SELECT c.*, p.version AS procedure_version, r.asset_tag AS reference_tag, r.name AS reference_name,
    (SELECT a.id FROM completions a WHERE a.amends_id = c.id ORDER BY a.created_at DESC, a.id DESC LIMIT 1) AS amended_by_id
  FROM completions c
  LEFT JOIN procedures p ON p.id = c.procedure_id
  LEFT JOIN equipment r ON r.id = c.reference_equipment_id`;

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

/** The local day a record was entered, when later than the day of the work (imported history is never "late": it is marked imported). */
function enteredLateOn(r: CompletionRow): string | null {
  if (r.source === 'import') return null;
  const on = localDate(new Date(r.entered_at ?? r.created_at));
  return on > r.performed_on ? on : null;
}

/** Completion records with their readings, steps and signatures, read in four queries whatever their number. */
function toViews(core: Core, rows: CompletionRow[]): CompletionView[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const types = taskTypeMap(core);
  const group = <T extends { completion_id: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(x.completion_id, [...(m.get(x.completion_id) ?? []), x]);
    return m;
  };
  const readings = group(
    core.db
      .prepare('SELECT * FROM completion_readings WHERE completion_id IN (SELECT value FROM json_each(?)) ORDER BY completion_id, position')
      .all(ids) as ({ completion_id: string } & Record<string, unknown>)[],
  );
  const steps = group(
    core.db
      .prepare('SELECT * FROM completion_steps WHERE completion_id IN (SELECT value FROM json_each(?)) ORDER BY completion_id, position')
      .all(ids) as ({ completion_id: string } & Record<string, unknown>)[],
  );
  const signatures = group(
    core.db
      .prepare('SELECT * FROM signatures WHERE completion_id IN (SELECT value FROM json_each(?)) ORDER BY signed_at, meaning')
      .all(ids) as ({ completion_id: string } & Record<string, unknown>)[],
  );
  return rows.map((r): CompletionView => {
    const details = JSON.parse(r.details) as CompletionView['details'] & { notDoneReason?: NotDoneReason };
    return {
      id: r.id,
      planId: r.plan_id,
      equipmentId: r.equipment_id,
      stockLocationId: r.stock_location_id,
      task: r.task,
      taskLabel: types.get(r.task)?.label ?? r.task,
      performedAt: r.performed_at,
      performedOn: r.performed_on,
      outcome: r.outcome,
      outcomeOverrideReason: r.outcome_override_reason,
      notes: r.notes,
      details,
      minutesSpent: r.minutes_spent,
      procedure: r.procedure_id ? { id: r.procedure_id, version: r.procedure_version ?? 0 } : null,
      reference: r.reference_equipment_id
        ? { equipmentId: r.reference_equipment_id, assetTag: r.reference_tag ?? '', name: r.reference_name ?? '', notCurrent: r.reference_not_current === 1 }
        : null,
      performedByName: r.performed_by_name,
      source: r.source,
      createdAt: r.created_at,
      amendsId: r.amends_id,
      amendReason: r.amend_reason,
      amendedById: r.amended_by_id,
      enteredAt: r.entered_at ?? r.created_at,
      enteredLateOn: enteredLateOn(r),
      lateReason: r.late_reason,
      signatures: (signatures.get(r.id) ?? []).map(
        (s): SignatureView => ({
          userId: s.user_id as string,
          name: s.signer_name as string,
          role: s.signer_role as string,
          meaning: s.meaning as SignatureMeaning,
          signedAt: s.signed_at as string,
        }),
      ),
      steps: (steps.get(r.id) ?? []).map(
        (s): StepView => ({ position: s.position as number, text: s.text as string, result: s.result as StepView['result'], note: (s.note as string | null) ?? null }),
      ),
      readings: (readings.get(r.id) ?? []).map(
        (x): ReadingView => ({
          position: x.position as number,
          label: x.label as string,
          unit: x.unit as string,
          nominal: x.nominal as number | null,
          toleranceKind: x.tolerance_kind as ReadingView['toleranceKind'],
          tolerance: x.tolerance as number | null,
          low: x.low_limit as number | null,
          high: x.high_limit as number | null,
          asFound: x.as_found as number | null,
          asLeft: x.as_left as number | null,
          foundIn: bool(x.found_in_tolerance as number | null),
          leftIn: bool(x.left_in_tolerance as number | null),
        }),
      ),
    };
  });
}

export function getCompletion(core: Core, id: string): CompletionView {
  const row = core.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CompletionRow | undefined;
  if (!row) throw new AppError('not_found', 'That record does not exist.');
  return toViews(core, [row])[0]!;
}

/** A device's (or stock location's) records, newest first by when the work was done. */
export function completionHistory(core: Core, target: { equipmentId: string } | { stockLocationId: string }): CompletionView[] {
  const [column, value] = 'equipmentId' in target ? ['equipment_id', target.equipmentId] : ['stock_location_id', target.stockLocationId];
  const rows = core.db.prepare(`${SELECT} WHERE c.${column} = ? ORDER BY c.performed_at DESC, c.created_at DESC`).all(value) as CompletionRow[];
  return toViews(core, rows);
}

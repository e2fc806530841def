import type { CompletionView, NotDoneReason, ReadingView, SignatureView, StepView } from '../../../shared/domain/completion';
import { localDate } from '../clock';
import type { Core } from '../context';
import { AppError } from '../errors';
import { taskTypeMap } from '../plans/service';
import { query } from '../sql/query';
import type { CompletionReadingRow, CompletionRow, CompletionStepRow, SignatureRow } from '../sql/rows';

/** A completions row with what the view shows of its procedure, its reference standard and its correction. */
type CompletionWithRefs = CompletionRow & {
  procedure_version: number | null;
  reference_tag: string | null;
  reference_name: string | null;
  amended_by_id: string | null;
};

const SELECT = `
  SELECT c.*, p.version AS procedure_version, r.asset_tag AS reference_tag, r.name AS reference_name,
    (SELECT a.id FROM completions a WHERE a.amends_id = c.id ORDER BY a.created_at DESC, a.id DESC LIMIT 1) AS amended_by_id
  FROM completions c
  LEFT JOIN procedures p ON p.id = c.procedure_id
  LEFT JOIN equipment r ON r.id = c.reference_equipment_id`;
const byId = query<CompletionWithRefs, { id: string }>(`${SELECT} WHERE c.id = @id`);
const ofEquipment = query<CompletionWithRefs, { id: string }>(`${SELECT} WHERE c.equipment_id = @id ORDER BY c.performed_at DESC, c.created_at DESC`);
const ofStockLocation = query<CompletionWithRefs, { id: string }>(
  `${SELECT} WHERE c.stock_location_id = @id ORDER BY c.performed_at DESC, c.created_at DESC`,
);
/** The parts of several records at once: `ids` is a JSON array of completion ids. */
const readingsOf = query<CompletionReadingRow, { ids: string }>(
  'SELECT * FROM completion_readings WHERE completion_id IN (SELECT value FROM json_each(@ids)) ORDER BY completion_id, position',
);
const stepsOf = query<CompletionStepRow, { ids: string }>(
  'SELECT * FROM completion_steps WHERE completion_id IN (SELECT value FROM json_each(@ids)) ORDER BY completion_id, position',
);
const signaturesOf = query<SignatureRow, { ids: string }>(
  'SELECT * FROM signatures WHERE completion_id IN (SELECT value FROM json_each(@ids)) ORDER BY signed_at, meaning',
);

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

/** The local day a record was entered, when later than the day of the work (imported history is never "late": it is marked imported). */
function enteredLateOn(r: CompletionRow): string | null {
  if (r.source === 'import') return null;
  const on = localDate(new Date(r.entered_at ?? r.created_at));
  return on > r.performed_on ? on : null;
}

/**
 * The one mapper from completions rows (and their readings, steps and signatures rows) to
 * CompletionViews, read in four queries whatever their number.
 */
function toViews(core: Core, rows: CompletionWithRefs[]): CompletionView[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const types = taskTypeMap(core);
  const group = <T extends { completion_id: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(x.completion_id, [...(m.get(x.completion_id) ?? []), x]);
    return m;
  };
  const readings = group(readingsOf.all(core, { ids }));
  const steps = group(stepsOf.all(core, { ids }));
  const signatures = group(signaturesOf.all(core, { ids }));
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
        (s): SignatureView => ({ userId: s.user_id, name: s.signer_name, role: s.signer_role, meaning: s.meaning, signedAt: s.signed_at }),
      ),
      steps: (steps.get(r.id) ?? []).map(
        (s): StepView => ({ position: s.position, text: s.text, result: s.result, note: s.note }),
      ),
      readings: (readings.get(r.id) ?? []).map(
        (x): ReadingView => ({
          position: x.position,
          label: x.label,
          unit: x.unit,
          nominal: x.nominal,
          toleranceKind: x.tolerance_kind,
          tolerance: x.tolerance,
          low: x.low_limit,
          high: x.high_limit,
          asFound: x.as_found,
          asLeft: x.as_left,
          foundIn: bool(x.found_in_tolerance),
          leftIn: bool(x.left_in_tolerance),
        }),
      ),
    };
  });
}

export function getCompletion(core: Core, id: string): CompletionView {
  const row = byId.get(core, { id });
  if (!row) throw new AppError('not_found', 'That record does not exist.');
  return toViews(core, [row])[0]!;
}

/** A device's (or stock location's) records, newest first by when the work was done. */
export function completionHistory(core: Core, target: { equipmentId: string } | { stockLocationId: string }): CompletionView[] {
  const rows = 'equipmentId' in target ? ofEquipment.all(core, { id: target.equipmentId }) : ofStockLocation.all(core, { id: target.stockLocationId });
  return toViews(core, rows);
}

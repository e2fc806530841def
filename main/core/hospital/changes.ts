import type { RemoteChange, RemoteChanges } from '../../../shared/contract/sync';
import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { STATUS_LABELS } from '../../../shared/domain/equipment';
import { isoInstant } from '../clock';
import type { Core, WriteCore } from '../context';
import { listLocations, subtreeIds } from '../locations/service';
import { taskTypeMap } from '../plans/service';
import { getSettings } from '../settings/service';
import { command, query, scalar } from '../sql/query';
import { getState, isEnrolled } from '../sync/state';

/**
 * "2 changes from other PCs: DF-0002 failed its safety test, …" on Today. Read from the audit
 * trail: every PC's entries arrive with the rows they describe, each keeps the id of the PC that
 * wrote it, and the local rowid grows in the order they arrived here. This PC remembers how far it
 * has been marked seen (a `pc:` setting, never synced); only entries about devices of this PC's
 * ward count (all of them when the PC has no ward).
 *
 * What counts is when an entry arrived here, never its time: that is the other PC's clock (two
 * hours slow, or a fail logged offline before this PC joined and sent after). The download of the
 * hospital when this PC joins is not news: its end marks everything as seen (joinedHub).
 */

const SEEN_KEY = (pcId: string) => `pc:${pcId}:syncChangesSeen`;
/**
 * The last entry held when arrivals began to be counted by when they arrived (the end of the
 * download, or for a PC that joined under an older Wardkeep, its first sync since). Entries before
 * it count as that version counted them: only those written after this PC joined, by their time, so
 * an upgrade neither floods Today with the download nor drops what it showed.
 */
const COUNTED_KEY = (pcId: string) => `pc:${pcId}:syncChangesCountedAfter`;
const LIMIT = 20;

interface EntryRow {
  rowid: number;
  at: string;
  actor_name: string;
  pc_id: string;
  action: string;
  entity: string;
  entity_id: string | null;
  new_value: string | null;
}

const seenMark = scalar<string, { key: string }>('SELECT value FROM settings WHERE key = @key');
const setSeen = command<{
  key: string;
  value: string;
  updated_at: string;
  pc_id: string;
}>(
  `INSERT INTO settings (key, value, updated_at, pc_id) VALUES (@key, @value, @updated_at, @pc_id)
   ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, pc_id = excluded.pc_id`,
);
const lastRowid = scalar<number | null>('SELECT max(rowid) FROM audit_log');

// What other PCs did that a ward notices: records logged, statuses set, devices and plans added.
const entriesAfter = query<EntryRow, { after: number; counted: number; pc: string; since: string }>(
  `SELECT rowid, at, actor_name, pc_id, action, entity, entity_id, new_value FROM audit_log
   WHERE rowid > @after AND pc_id <> @pc AND (rowid > @counted OR at >= @since)
     AND ((entity = 'completion' AND action = 'create') OR (entity = 'equipment' AND action IN ('status', 'create')) OR (entity = 'plan' AND action = 'create'))
   ORDER BY rowid DESC`,
);

interface Subject {
  equipment_id: string | null;
  asset_tag: string | null;
  location_id: string | null;
  task: string | null;
  outcome: string | null;
}

const completionSubject = query<Subject, { id: string }>(
  `SELECT e.id AS equipment_id, e.asset_tag, e.location_id, p.task, c.outcome
   FROM completions c JOIN plans p ON p.id = c.plan_id LEFT JOIN equipment e ON e.id = p.equipment_id WHERE c.id = @id`,
);
const planSubject = query<Subject, { id: string }>(
  `SELECT e.id AS equipment_id, e.asset_tag, e.location_id, p.task, NULL AS outcome
   FROM plans p LEFT JOIN equipment e ON e.id = p.equipment_id WHERE p.id = @id`,
);
const equipmentSubject = query<Subject, { id: string }>(
  'SELECT id AS equipment_id, asset_tag, location_id, NULL AS task, NULL AS outcome FROM equipment WHERE id = @id',
);

function describe(core: Core, e: EntryRow, tasks: Map<string, string>): (RemoteChange & { locationId: string | null }) | null {
  if (!e.entity_id) return null;
  const subject =
    e.entity === 'completion'
      ? completionSubject.get(core, { id: e.entity_id })
      : e.entity === 'plan'
        ? planSubject.get(core, { id: e.entity_id })
        : equipmentSubject.get(core, { id: e.entity_id });
  if (!subject?.equipment_id) return null;
  const tag = subject.asset_tag ?? 'A device';
  const task = (subject.task ? (tasks.get(subject.task) ?? subject.task) : '').toLowerCase();
  let text: string;
  if (e.entity === 'completion') text = subject.outcome === 'fail' ? `${tag} failed its ${task}` : `${tag}: ${task} logged`;
  else if (e.entity === 'plan') text = `${tag}: new ${task} plan`;
  else if (e.action === 'create') text = `${tag} added`;
  else {
    const change = JSON.parse(e.new_value ?? '{}') as {
      status?: EquipmentStatus;
      by_completion_id?: string;
    };
    // A tag-out by a failed record is said by the record's own line.
    if (change.by_completion_id) return null;
    const status = change.status;
    text = `${tag} is now ${status ? STATUS_LABELS[status].toLowerCase() : 'in another status'}`;
  }
  return {
    at: e.at,
    pc: e.pc_id,
    who: e.actor_name,
    text,
    equipmentId: subject.equipment_id,
    locationId: subject.location_id,
  };
}

export function remoteChanges(core: Core): RemoteChanges {
  const none: RemoteChanges = { count: 0, items: [], wardPath: null };
  // While the hospital downloads, what arrives is the hospital as it stands, not news.
  if (!isEnrolled(core) || getState(core, 'joined') !== '1') return none;
  const since = getState(core, 'enrolled_at') ?? '';
  const after = Number(seenMark.get(core, { key: SEEN_KEY(core.pcId) }) ?? '0');
  const counted = seenMark.get(core, { key: COUNTED_KEY(core.pcId) });
  const ward = getSettings(core).defaultLocationId;
  const locations = listLocations(core);
  const inWard = ward ? new Set(subtreeIds(locations, ward)) : null;
  const tasks = new Map([...taskTypeMap(core)].map(([code, t]) => [code, t.label]));
  const items: RemoteChange[] = [];
  let count = 0;
  // Before arrivals were counted by when they arrived (an upgrade not yet synced): all of them by their time, as then.
  const from = counted === undefined ? Number.MAX_SAFE_INTEGER : Number(counted);
  for (const e of entriesAfter.all(core, { after, counted: from, pc: core.pcId, since })) {
    const change = describe(core, e, tasks);
    if (!change || (inWard && (!change.locationId || !inWard.has(change.locationId)))) continue;
    count++;
    if (items.length < LIMIT) {
      const { locationId: _ignored, ...item } = change;
      items.push(item);
    }
  }
  return {
    count,
    items,
    wardPath: ward ? (locations.find((l) => l.id === ward)?.path ?? null) : null,
  };
}

function markHere(core: WriteCore, key: string): void {
  setSeen.run(core, { key, value: String(lastRowid.get(core) ?? 0), updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
}

/** Marks everything that has arrived so far as seen on this PC. */
export function markChangesSeen(core: WriteCore): void {
  markHere(core, SEEN_KEY(core.pcId));
}

/** The download of the hospital is written (in its last transaction): what it brought is not news, whatever arrives after it is. */
export function joinedHub(core: WriteCore): void {
  markHere(core, SEEN_KEY(core.pcId));
  markHere(core, COUNTED_KEY(core.pcId));
}

/**
 * A PC that joined under an older Wardkeep, at its first sync since (before anything is pulled):
 * from now on what arrives counts by when it arrived; what arrived before, as it counted then.
 */
export function countArrivalsFromNow(core: WriteCore): void {
  if (seenMark.get(core, { key: COUNTED_KEY(core.pcId) }) === undefined) markHere(core, COUNTED_KEY(core.pcId));
}

import { formatDateTime } from '../../../shared/date-format';
import { formatDay } from '../../../shared/domain/report';
import { daysBetween } from '../../../shared/scheduling/dates';
import { localDate } from '../clock';
import type { Core } from '../context';
import { AppError } from '../errors';
import { getSettings } from '../settings/service';
import { query } from '../sql/query';

const deviceAdded = query<{ name: string; created_at: string }, { id: string }>('SELECT asset_tag AS name, created_at FROM equipment WHERE id = @id');
const retiredSince = query<{ asset_tag: string; status_reason: string | null; at: string | null }, { id: string }>(
  `SELECT e.asset_tag, e.status_reason,
     (SELECT max(s.at) FROM status_changes s INDEXED BY status_changes_equipment WHERE s.equipment_id = e.id AND s.to_status = 'retired') AS at
   FROM equipment e WHERE e.id = @id AND e.status = 'retired'`,
);
const placeAdded = query<{ name: string; created_at: string }, { id: string }>('SELECT name, created_at FROM stock_locations WHERE id = @id');

/**
 * Backdating is never silent (issue 13, item 12). A signed record keeps when it was entered beside
 * when the work was done; work cannot be dated before its device (or stock location) was in the
 * inventory; and work entered more than the setting's number of days after it was done needs a
 * reason, kept with the record. A correction has its own reason and is not asked again; the
 * inventory date is not checked (`inventoryDate: false`) for a correction that keeps its original's
 * day or corrects imported paper history, which is dated before the device came by nature.
 */
export function checkEntryDate(
  core: Core,
  target: { equipment_id: string | null; stock_location_id: string | null },
  performedOn: string,
  lateReason: string | null,
  options: { amendment: boolean; inventoryDate?: boolean },
): void {
  const settings = getSettings(core);
  const inventory = options.inventoryDate === false
    ? undefined
    : target.equipment_id
    ? deviceAdded.get(core, { id: target.equipment_id })
    : target.stock_location_id
      ? placeAdded.get(core, { id: target.stock_location_id })
      : undefined;
  if (inventory) {
    const added = localDate(new Date(inventory.created_at));
    if (performedOn < added) {
      throw new AppError(
        'invalid_input',
        `Performed at is ${formatDay(performedOn, settings.dateFormat)}, before ${inventory.name} was added to the inventory on ${formatDay(added, settings.dateFormat)}: work cannot be recorded for a day before then.`,
        { field: 'performedAt' },
      );
    }
  }
  if (options.amendment) return;
  const late = daysBetween(performedOn, localDate(core.clock.now()));
  if (late > settings.lateEntryReasonAfterDays && !lateReason) {
    throw new AppError(
      'invalid_input',
      `This work was done ${late} days ago. Say why it is entered only now (asked for work more than ${settings.lateEntryReasonAfterDays} days old).`,
      { field: 'lateReason' },
    );
  }
}

/**
 * New work on a retired device is refused when it was done after the device was retired (a page
 * opened before, a bookmarked log screen): the record would count for a device no longer in the
 * hospital. Work done before then, entered late, is taken; a correction is never refused here.
 * A device retired before Wardkeep kept a status history has no time: any new work is refused.
 */
export function checkNotRetired(core: Core, equipmentId: string | null, performedAt: Date): void {
  if (!equipmentId) return;
  const retired = retiredSince.get(core, { id: equipmentId });
  if (!retired) return;
  if (retired.at !== null && performedAt.getTime() < new Date(retired.at).getTime()) return;
  const settings = getSettings(core);
  const when = retired.at ? ` on ${formatDateTime(retired.at, settings.dateFormat)}` : '';
  const why = retired.status_reason ? ` (${retired.status_reason})` : '';
  throw new AppError(
    'conflict',
    `${retired.asset_tag} was retired${when}${why}: work done after that cannot be recorded on it. If it is back in use, a supervisor changes its status first.`,
    { field: 'performedAt' },
  );
}

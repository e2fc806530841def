import { STATUS_LABELS } from '../../../shared/domain/equipment';
import { formatDay, headerDay, headerLine, initialsOf } from '../../../shared/domain/report';
import type { Sticker, StickerParamsValue, StickersDocument } from '../../../shared/domain/report-stickers';
import { LABEL_STOCKS, SYMBOLOGY_LABELS } from '../../../shared/domain/report-stickers';
import { latestAdvancing } from '../../../shared/scheduling';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';
import { listLocations } from '../locations/service';
import { listPlansForEquipment } from '../plans/service';
import { printHeader } from '../print/jobs';
import { effectiveCompletions } from '../plans/scheduler';
import { getSettings } from '../settings/service';
import { query } from '../sql/query';
import type { CompletionRow, EquipmentRow } from '../sql/rows';

/**
 * Calibration stickers: for each device, its calibration plan's last passing calibration (date and
 * the technician's initials) and next due date. A device that must not be used (out of service,
 * retired, missing, tagged out, or overdue for a test that blocks use) gets a DO NOT USE sticker.
 */

const CALIBRATION = 'calibration';

type DeviceRow = Pick<EquipmentRow, 'id' | 'asset_tag' | 'name' | 'location_id' | 'status' | 'status_reason'>;

// Calibrated that day: a pass, a pass after adjustment, or a fail (its sticker says DO NOT USE). A
// calibration only logged as not done that day (in use, not located, other) calibrated nothing.
const calibratedDevices = query<{ id: string }, { day: string; task: string }>(
  `SELECT DISTINCT c.equipment_id AS id
   FROM completions c INDEXED BY completions_performed_on
   WHERE c.performed_on = @day AND c.task = @task AND c.equipment_id IS NOT NULL
     AND c.outcome IN ('pass', 'pass_adjusted', 'fail')
     AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = c.id)`,
);
const performer = query<Pick<CompletionRow, 'performed_by_name'>, { id: string }>('SELECT performed_by_name FROM completions WHERE id = @id');
const device = query<DeviceRow, { id: string }>('SELECT id, asset_tag, name, location_id, status, status_reason FROM equipment WHERE id = @id');

/** Devices with a calibration performed on `day` that passed, passed after adjustment or failed (as it now stands after amendments). */
function calibratedOn(core: Core, day: string): string[] {
  return calibratedDevices.all(core, { day, task: CALIBRATION }).map((r) => r.id);
}

/** A sticker, and the device's calibration plan: in use, switched off (only inactive ones), or none at all. */
function stickerFor(core: Core, device: DeviceRow, location: string): { sticker: Sticker; plan: 'in_use' | 'switched_off' | 'none' } {
  const plans = listPlansForEquipment(core, device.id);
  const calibration = plans.plans.find((p) => p.active && p.task === CALIBRATION) ?? null;
  const plan = calibration ? 'in_use' : plans.plans.some((p) => p.task === CALIBRATION) ? 'switched_off' : 'none';
  let initials: string | null = null;
  if (calibration) {
    const last = latestAdvancing(effectiveCompletions(core, calibration.id));
    if (last) {
      const row = performer.get(core, { id: last.id });
      initials = row ? initialsOf(row.performed_by_name) || null : null;
    }
  }
  const inService = device.status === 'in_service';
  const reasons: string[] = [];
  if (!inService) reasons.push(`${STATUS_LABELS[device.status]}.${device.status_reason ? ` ${device.status_reason}` : ''}`);
  // A tag-out already says why in the status reason; an overdue test that blocks use is said here.
  if (inService) reasons.push(...plans.doNotUseReasons);
  const sticker: Sticker = {
    equipmentId: device.id,
    assetTag: device.asset_tag,
    name: device.name,
    location,
    kind: reasons.length > 0 ? 'do_not_use' : 'calibrated',
    calibratedOn: calibration?.lastDoneOn ?? null,
    nextDue: calibration?.nextDue ?? null,
    initials,
    reason: reasons.length > 0 ? reasons.join(' ') : null,
  };
  return { sticker, plan };
}

/**
 * Why chosen devices get no calibration sticker, in words: a sticker says when the device was
 * calibrated and when it is next due, so a device whose calibration plan is switched off (its
 * records kept, no next due date) or that has none is named for that, and one on a plan that was
 * never done for having no calibration on record.
 */
function noStickerMessage(devices: readonly { sticker: Sticker; plan: 'in_use' | 'switched_off' | 'none' }[]): string {
  const names = (plan: 'in_use' | 'switched_off' | 'none') => devices.filter((d) => d.plan === plan).map((d) => `${d.sticker.assetTag} ${d.sticker.name}`);
  const sentences: string[] = [];
  const off = names('switched_off');
  if (off.length === 1) sentences.push(`${off[0]}'s calibration plan is switched off: a sticker shows the next due date, so bring the plan back first, or remove the device from the list.`);
  else if (off.length > 1) {
    sentences.push(`The calibration plans of ${off.join(', ')} are switched off: a sticker shows the next due date, so bring the plans back first, or remove the devices from the list.`);
  }
  const none = names('none');
  if (none.length > 0) {
    const one = none.length === 1;
    sentences.push(
      `${none.join(', ')} ${one ? 'has' : 'have'} no calibration plan: a sticker shows the next due date, so add ${one ? 'one' : 'their plans'} first, or remove ${one ? 'it' : 'them'} from the list.`,
    );
  }
  const never = names('in_use');
  if (never.length > 0) {
    const one = never.length === 1;
    sentences.push(`${never.join(', ')} ${one ? 'has' : 'have'} no calibration on record, so there is no calibration sticker to print: remove ${one ? 'it' : 'them'} from the list.`);
  }
  return sentences.join(' ');
}

function noneOn(day: string, dateFormat: Parameters<typeof formatDay>[1]): AppError {
  return new AppError(
    'not_found',
    `No device was calibrated on ${formatDay(day, dateFormat)}: no calibration that day passed or failed (one logged as not done prints no sticker).`,
    { field: 'calibratedOn' },
  );
}

export function stickersDocument(core: Core, actor: Actor, params: StickerParamsValue): StickersDocument {
  const paths = new Map(listLocations(core).map((l) => [l.id, l.path]));
  const ids = params.equipmentIds ?? calibratedOn(core, params.calibratedOn!);
  const byId = new Map<string, DeviceRow>();
  for (const id of ids) {
    const row = device.get(core, { id });
    if (!row) throw new AppError('not_found', 'One of the chosen devices does not exist.', { field: 'equipmentIds' });
    byId.set(id, row);
  }
  const dateFormat = getSettings(core).dateFormat;
  if (byId.size === 0) throw noneOn(params.calibratedOn!, dateFormat);
  let devices = [...byId.values()];
  if (params.equipmentIds === undefined) {
    devices = devices.sort(
      (a, b) => (paths.get(a.location_id) ?? '').localeCompare(paths.get(b.location_id) ?? '') || a.asset_tag.localeCompare(b.asset_tag),
    );
  }
  const made = devices.map((d) => stickerFor(core, d, paths.get(d.location_id) ?? ''));
  // A calibration sticker says when the device was calibrated, on its calibration plan in use: a
  // device never calibrated, or whose plan is switched off or missing, has none to print. Chosen by
  // hand, it is named with the reason; found by day (its calibration plan since switched off), left out.
  const without = made.filter((m) => m.sticker.kind === 'calibrated' && m.sticker.calibratedOn === null);
  if (without.length > 0 && params.equipmentIds !== undefined) throw new AppError('invalid_input', noStickerMessage(without), { field: 'equipmentIds' });
  const stickers = made.filter((m) => !without.includes(m)).map((m) => m.sticker);
  if (stickers.length === 0) throw noneOn(params.calibratedOn!, dateFormat);
  const stock = LABEL_STOCKS[params.stock];
  const filter = [
    params.calibratedOn !== undefined
      ? headerLine`Devices calibrated on ${headerDay(params.calibratedOn)}: ${stickers.length}`
      : headerLine`Devices chosen: ${stickers.length}`,
    headerLine`Labels: ${stock.label}; ${SYMBOLOGY_LABELS[params.symbology]}`,
  ];
  const dnu = stickers.filter((s) => s.kind === 'do_not_use').length;
  if (dnu > 0) filter.push(headerLine`DO NOT USE stickers: ${dnu}`);
  return {
    view: 'stickers',
    header: printHeader(core, actor, {
      title: 'Calibration stickers',
      filter,
      fileName: `stickers-${params.calibratedOn ?? `${stickers.length}-devices`}`,
    }),
    stock: params.stock,
    symbology: params.symbology,
    skip: stock.kind === 'sheet' ? (params.skip ?? 0) : 0,
    stickers,
  };
}

import type { SettingsExpectedValue, SettingsRead } from '../../../shared/contract/settings';
import { SETTING_LABELS } from '../../../shared/contract/settings';
import { PATH_SEPARATOR } from '../../../shared/domain/location';
import type { Settings } from '../../../shared/domain/settings';
import { DEFAULT_SETTINGS, SettingsPatch } from '../../../shared/domain/settings';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { command, query } from '../sql/query';
import type { LocationRow, SettingRow } from '../sql/rows';

/** Settings that belong to this PC rather than to the whole database. */
const PER_PC: ReadonlySet<keyof Settings> = new Set(['defaultLocationId']);

const keyFor = (core: Core, name: keyof Settings) => (PER_PC.has(name) ? `pc:${core.pcId}:${name}` : name);

const allSettings = query<Pick<SettingRow, 'key' | 'value'>>('SELECT key, value FROM settings');
const activeLocation = query<{ id: string }, { id: string }>('SELECT id FROM locations WHERE id = @id AND active = 1');
/** A location's names from the site down (its path), in use or not. */
const placeNames = query<Pick<LocationRow, 'name'>, { id: string }>(
  `WITH RECURSIVE up (id, parent_id, name, depth) AS (
     SELECT id, parent_id, name, 0 FROM locations WHERE id = @id
     UNION ALL SELECT l.id, l.parent_id, l.name, up.depth + 1 FROM locations l JOIN up ON l.id = up.parent_id WHERE up.depth < 10)
   SELECT name FROM up ORDER BY depth DESC`,
);
const upsert = command<SettingRow>(
  `INSERT INTO settings (key, value, updated_at, pc_id) VALUES (@key, @value, @updated_at, @pc_id)
   ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, pc_id = excluded.pc_id`,
);

/** A stored value as JSON, or undefined when it is not JSON at all. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The stored values (JSON) over the defaults: the one mapper from settings rows to Settings. Each
 * stored value is held to the rule the Settings screen holds it to: a value that breaks it (pushed
 * by a compromised PC through the hub, or written into the file with sqlite3: a PIN lockout after
 * a billion tries, an idle lock of 31 years) is not taken, and the default stands in its place.
 * This PC's ward is kept as stored, in use or not (storedSettings is what a save compares with).
 */
function storedSettings(core: Core): Settings {
  const stored = new Map(allSettings.all(core).map((r) => [r.key, r.value]));
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const name of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const text = stored.get(keyFor(core, name));
    if (text === undefined) continue;
    const checked = SettingsPatch.shape[name].safeParse(parsed(text));
    if (checked.success && checked.data !== undefined) Object.assign(out, { [name]: checked.data });
  }
  return out;
}

/**
 * The settings in force. This PC's ward taken off the lists counts as no ward (the whole
 * hospital): only this PC knows its ward, so another PC may take it off the lists and the change
 * arrive through the hub (docs/users.md). The badge and notices, the changes Today tells of, the
 * sign-in list and Today's scope then count the whole hospital, never an empty ward for ever.
 */
export function getSettings(core: Core): Settings {
  return inForce(core, storedSettings(core));
}

/** The settings stored, with this PC's ward counted as none when it is not in use. */
function inForce(core: Core, stored: Settings): Settings {
  const ward = stored.defaultLocationId;
  return ward !== null && !activeLocation.get(core, { id: ward }) ? { ...stored, defaultLocationId: null } : stored;
}

/**
 * The settings as the Settings screen reads them: those in force and, when this PC's ward was
 * taken off the lists, its path (`wardTakenOff`), said beside the field.
 */
export function readSettings(core: Core): SettingsRead {
  const stored = storedSettings(core);
  const settings = inForce(core, stored);
  if (stored.defaultLocationId === null || settings.defaultLocationId !== null) return settings;
  const path = placeNames.all(core, { id: stored.defaultLocationId }).map((r) => r.name);
  return { ...settings, wardTakenOff: path.length > 0 ? path.join(PATH_SEPARATOR) : 'a ward that no longer exists' };
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A setting's value in words, as the screen shows it: "8", "10 minutes", "dd/mm/yyyy", "General Hospital > Ward 4B". */
function valueWords(core: Core, name: keyof Settings, s: Settings): string {
  switch (name) {
    case 'hospitalName':
      return s.hospitalName === '' ? 'blank' : `"${s.hospitalName}"`;
    case 'defaultLocationId': {
      if (s.defaultLocationId === null) return 'all locations';
      const path = placeNames.all(core, { id: s.defaultLocationId }).map((r) => r.name);
      return path.length > 0 ? path.join(PATH_SEPARATOR) : 'a location that no longer exists';
    }
    case 'idleTimeoutSeconds': {
      const m = Math.floor(s.idleTimeoutSeconds / 60);
      const sec = s.idleTimeoutSeconds % 60;
      return sec === 0 ? plural(m, 'minute') : m === 0 ? plural(sec, 'second') : `${plural(m, 'minute')} ${plural(sec, 'second')}`;
    }
    case 'lockoutAttempts':
      return String(s.lockoutAttempts);
    case 'lockoutMinutes':
      return plural(s.lockoutMinutes, 'minute');
    case 'dateFormat':
      return s.dateFormat === 'locale' ? "as this PC's locale" : s.dateFormat.toLowerCase();
    case 'stockExpiringWithinDays':
      return plural(s.stockExpiringWithinDays, 'day');
    case 'lateEntryReasonAfterDays':
      return plural(s.lateEntryReasonAfterDays, 'day');
  }
}

/**
 * The settings sent that someone else changed since the screen opened with `expected` (another
 * window, another administrator, another PC through the hub), each a sentence naming its value now.
 * A value sent that is already the one in force is not counted: nothing would change.
 */
function changedMeanwhile(
  core: Core,
  before: Settings,
  stored: Settings,
  patch: Partial<Settings>,
  expected: SettingsExpectedValue,
): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  // In the screen's order, so the summary lists them as the fields stand.
  for (const name of Object.keys(SETTING_LABELS) as (keyof Settings)[]) {
    const value = patch[name];
    if (value === undefined || !Object.hasOwn(expected, name)) continue;
    const now = JSON.stringify(before[name]);
    const was = JSON.stringify(expected[name]);
    // This PC's ward taken off the lists since is no one's change of the setting: it still holds the ward the screen opened with.
    if (now === was || JSON.stringify(stored[name]) === was || now === JSON.stringify(value)) continue;
    out.push({
      field: name,
      message: `${SETTING_LABELS[name]} was changed by someone else since you opened this: it is now ${valueWords(core, name, before)}. Check it, and save again if you still mean to change it.`,
    });
  }
  return out;
}

/**
 * Saves the settings sent. With `expected` (the settings as the screen opened), a setting sent that
 * someone else changed since is refused in words, beside its field, and nothing is saved: the
 * later save never wins unseen.
 */
export function updateSettings(
  core: WriteCore,
  actor: Actor,
  input: Partial<Settings> & { expected?: SettingsExpectedValue | undefined },
): SettingsRead {
  const { expected, ...patch } = input;
  // What a save changes is judged against the values stored: "(all locations)" chosen for a ward
  // taken off the lists is saved, so the ward does not come back should it be brought back.
  const stored = storedSettings(core);
  const before = inForce(core, stored);
  const meanwhile = expected ? changedMeanwhile(core, before, stored, patch, expected) : [];
  if (meanwhile[0]) {
    throw new AppError('conflict', meanwhile[0].message, {
      field: meanwhile[0].field,
      ...(meanwhile.length > 1 ? { details: meanwhile } : {}),
    });
  }
  if (patch.defaultLocationId && !activeLocation.get(core, { id: patch.defaultLocationId })) {
    throw new AppError('invalid_input', 'Choose a location from the list.', { field: 'defaultLocationId' });
  }
  const now = isoInstant(core.clock.now());
  for (const [name, value] of Object.entries(patch) as [keyof Settings, unknown][]) {
    if (value === undefined || JSON.stringify(stored[name]) === JSON.stringify(value)) continue;
    upsert.run(core, { key: keyFor(core, name), value: JSON.stringify(value), updated_at: now, pc_id: core.pcId });
    appendAudit(core, actor, { action: 'update', entity: 'setting', entityId: keyFor(core, name), old: stored[name], new: value });
  }
  return readSettings(core);
}

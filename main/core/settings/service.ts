import type { Settings } from '../../../shared/domain/settings';
import { DEFAULT_SETTINGS, SettingsPatch } from '../../../shared/domain/settings';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { command, query } from '../sql/query';
import type { SettingRow } from '../sql/rows';

/** Settings that belong to this PC rather than to the whole database. */
const PER_PC: ReadonlySet<keyof Settings> = new Set(['defaultLocationId']);

const keyFor = (core: Core, name: keyof Settings) => (PER_PC.has(name) ? `pc:${core.pcId}:${name}` : name);

const allSettings = query<Pick<SettingRow, 'key' | 'value'>>('SELECT key, value FROM settings');
const activeLocation = query<{ id: string }, { id: string }>('SELECT id FROM locations WHERE id = @id AND active = 1');
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
 */
export function getSettings(core: Core): Settings {
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

export function updateSettings(core: WriteCore, actor: Actor, patch: Partial<Settings>): Settings {
  const before = getSettings(core);
  if (patch.defaultLocationId && !activeLocation.get(core, { id: patch.defaultLocationId })) {
    throw new AppError('invalid_input', 'Choose a location from the list.', { field: 'defaultLocationId' });
  }
  const now = isoInstant(core.clock.now());
  for (const [name, value] of Object.entries(patch) as [keyof Settings, unknown][]) {
    if (value === undefined || JSON.stringify(before[name]) === JSON.stringify(value)) continue;
    upsert.run(core, { key: keyFor(core, name), value: JSON.stringify(value), updated_at: now, pc_id: core.pcId });
    appendAudit(core, actor, { action: 'update', entity: 'setting', entityId: keyFor(core, name), old: before[name], new: value });
  }
  return getSettings(core);
}

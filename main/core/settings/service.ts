import type { Settings } from '../../../shared/domain/settings';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings';
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

/** The stored values (JSON) over the defaults: the one mapper from settings rows to Settings. */
export function getSettings(core: Core): Settings {
  const stored = new Map(allSettings.all(core).map((r) => [r.key, JSON.parse(r.value) as unknown]));
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const name of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const key = keyFor(core, name);
    if (stored.has(key)) Object.assign(out, { [name]: stored.get(key) });
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

import type { Settings } from '../../../shared/domain/settings';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';

/** Settings that belong to this PC rather than to the whole database. */
const PER_PC: ReadonlySet<keyof Settings> = new Set(['defaultLocationId']);

const keyFor = (core: Core, name: keyof Settings) => (PER_PC.has(name) ? `pc:${core.pcId}:${name}` : name);

export function getSettings(core: Core): Settings {
  const rows = core.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const name of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const key = keyFor(core, name);
    if (stored.has(key)) out[name] = stored.get(key);
  }
  return out as unknown as Settings;
}

/** Call inside a transaction. */
export function updateSettings(core: Core, actor: Actor, patch: Partial<Settings>): Settings {
  const before = getSettings(core);
  if (patch.defaultLocationId && !core.db.prepare('SELECT 1 FROM locations WHERE id = ? AND active = 1').get(patch.defaultLocationId)) {
    throw new AppError('invalid_input', 'Choose a location from the list.', { field: 'defaultLocationId' });
  }
  const now = isoInstant(core.clock.now());
  const upsert = core.db.prepare(
    `INSERT INTO settings (key, value, updated_at, pc_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, pc_id = excluded.pc_id`,
  );
  for (const [name, value] of Object.entries(patch) as [keyof Settings, unknown][]) {
    if (value === undefined || JSON.stringify(before[name]) === JSON.stringify(value)) continue;
    upsert.run(keyFor(core, name), JSON.stringify(value), now, core.pcId);
    appendAudit(core, actor, { action: 'update', entity: 'setting', entityId: keyFor(core, name), old: before[name], new: value });
  }
  return getSettings(core);
}

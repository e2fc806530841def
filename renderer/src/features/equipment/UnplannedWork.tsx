import { useId, useState } from 'react';
import { useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';

/**
 * Work on the device that no plan asks for: a cleaning after a spill, the acceptance check of a
 * new, rented or loaned device, a repair's check. A device with no plan yet offers its acceptance
 * check first.
 */
export function UnplannedWork({ equipmentId, hasPlans }: { equipmentId: string; hasPlans: boolean }) {
  const types = useChannelQuery('taskTypes.list', {});
  const selectId = useId();
  const choices = (types.data ?? []).filter((t) => t.active && t.target === 'equipment' && t.code !== 'repair');
  const [task, setTask] = useState<string | null>(null);
  if (choices.length === 0) return null;
  const chosen = task ?? (hasPlans ? (choices.find((t) => t.code === 'cleaning') ?? choices[0]!).code : 'acceptance');
  return (
    <section className="panel unplanned-work" aria-labelledby={`${selectId}-title`}>
      <h2 id={`${selectId}-title`}>Log work without a plan</h2>
      <div className="inline-form">
        <label htmlFor={selectId}>Task</label>
        <select id={selectId} value={chosen} onChange={(ev) => setTask(ev.target.value)}>
          {choices.map((t) => (
            <option key={t.code} value={t.code}>
              {t.label}
            </option>
          ))}
        </select>
        <Link to={`/log/unplanned/${equipmentId}/${chosen}`} className="button">
          Log it…
        </Link>
      </div>
      {!hasPlans ? <p className="muted small">A new, rented or loaned device is checked before its first use: its acceptance check comes first.</p> : null}
    </section>
  );
}

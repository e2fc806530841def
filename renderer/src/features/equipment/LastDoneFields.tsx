import { useWatch } from 'react-hook-form';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { dateFormatProblem, parseDate } from '../../../../shared/date-format';
import type { AppErrorValue } from '../../../../shared/result';
import { DateField } from '../../components/DateField';
import { useChannelQuery } from '../../lib/query';

/**
 * When each of the category's default plans was last done before the device came (issue 16): its
 * plan then starts from there, not due on the day it is added. Blank: not known.
 */
export function LastDoneFields() {
  const categoryId = useWatch<{ categoryId: string }, 'categoryId'>({ name: 'categoryId' });
  const plans = useChannelQuery('categoryPlans.list', { categoryId }, { enabled: Boolean(categoryId) });
  const list = categoryId ? (plans.data ?? []) : [];
  if (list.length === 0) return null;
  return (
    <fieldset className="choices last-done">
      <legend>Last done before it came (if known)</legend>
      <p className="muted small">Its plans then fall due an interval after these dates, not today.</p>
      <div className="form-row">
        {list.map((p) => (
          <DateField key={p.task} name={`lastDone.${p.task}`} label={`Last ${p.taskLabel.toLowerCase()}`} help={`Then due ${p.everyText} after it.`} />
        ))}
      </div>
    </fieldset>
  );
}

/** The typed last-done dates as the channel takes them, or the first problem, named by its field. */
export function readLastDone(values: Record<string, string> | undefined, setting: DateFormatSetting): { ok: true; value: Record<string, string> } | { ok: false; error: AppErrorValue } {
  const out: Record<string, string> = {};
  for (const [task, text] of Object.entries(values ?? {})) {
    if (!text || text.trim() === '') continue;
    const parsed = parseDate(text, setting);
    if (!parsed.ok) return { ok: false, error: { code: 'invalid_input', field: `lastDone.${task}`, message: `Last ${task.replace(/_/g, ' ')} ${dateFormatProblem(parsed.reason, text, setting)}.` } };
    out[task] = parsed.value;
  }
  return { ok: true, value: out };
}

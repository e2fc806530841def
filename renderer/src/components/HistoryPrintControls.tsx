import { useId, useMemo, useState } from 'react';
import type { HistoryParamsValue } from '../../../shared/domain/report-history';
import { PrintControls } from './PrintControls';
import { useChannelQuery } from '../lib/query';

/**
 * "Print history…" and "Save history as PDF…" for a device, with a choice of task beside them: an
 * auditor asking for every calibration of a defibrillator gets those records (and the amendments
 * that correct them) rather than years of cleanings. The tasks offered are those in its history.
 */
export function HistoryPrintControls({ equipmentId, assetTag }: { equipmentId: string; assetTag: string }) {
  const history = useChannelQuery('completions.history', { equipmentId });
  const [task, setTask] = useState('');
  const taskId = useId();
  const tasks = useMemo(() => {
    const byCode = new Map<string, string>();
    for (const r of history.data ?? []) if (!byCode.has(r.task)) byCode.set(r.task, r.taskLabel);
    return [...byCode].map(([code, label]) => ({ code, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [history.data]);
  // A task no longer in the history (after a restore, another device) falls back to all.
  const chosen = tasks.some((t) => t.code === task) ? task : '';
  const params: HistoryParamsValue = chosen ? { equipmentId, tasks: [chosen] } : { equipmentId };
  const label = tasks.find((t) => t.code === chosen)?.label.toLowerCase();

  return (
    <div className="print-controls history-print-controls">
      <span className="print-paper">
        <label htmlFor={taskId}>Records of</label>
        <select id={taskId} value={chosen} onChange={(e) => setTask(e.target.value)}>
          <option value="">All tasks</option>
          {tasks.map((t) => (
            <option key={t.code} value={t.code}>
              {t.label}
            </option>
          ))}
        </select>
      </span>
      <PrintControls
        view="history"
        params={params}
        what={label ? `the ${label} history of ${assetTag}` : `the history of ${assetTag}`}
        labels={{ print: 'Print history…', pdf: 'Save history as PDF…' }}
      />
    </div>
  );
}

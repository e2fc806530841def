import { useId, useState } from 'react';
import type { Paper, PrintAction, PrintView } from '../../../shared/domain/report';
import { PAPER_LABELS, PAPERS } from '../../../shared/domain/report';
import { call } from '../lib/api';
import { rememberedPaper, rememberPaper } from '../lib/paper';

/**
 * "Print…" and "Save as PDF…" for any printable document: the document is built in main from
 * `view` and `params` (the same as its print route's) and printed from a hidden window. With
 * `paper`, a visible A4/Letter choice remembered on this PC; without it (label stock), none.
 */
export function PrintControls({
  view,
  params,
  what,
  disabled = false,
  paperChoice = true,
  labels = { print: 'Print…', pdf: 'Save as PDF…' },
}: {
  view: PrintView;
  params: Record<string, unknown>;
  /** What is printed, for messages: "the due list". */
  what: string;
  disabled?: boolean;
  paperChoice?: boolean;
  labels?: { print: string; pdf: string };
}) {
  const [paper, setPaper] = useState<Paper>(rememberedPaper);
  const [busy, setBusy] = useState<PrintAction | null>(null);
  // A message belongs to the document it was about: once the filter changes (another day, another
  // ward), "Sent the due list to the printer" would speak of a list no longer on screen.
  const documentKey = `${view}:${JSON.stringify(params)}`;
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string; documentKey: string } | null>(null);
  const paperId = useId();

  const run = async (action: PrintAction) => {
    setBusy(action);
    setMessage(null);
    const about = documentKey;
    const res = await call('print.document', { view, params, paper, action });
    setBusy(null);
    if (!res.ok) setMessage({ kind: 'error', text: res.error.message, documentKey: about });
    else if (res.value.status === 'saved') setMessage({ kind: 'ok', text: `Saved ${what} to ${res.value.path}.`, documentKey: about });
    else if (res.value.status === 'printed') setMessage({ kind: 'ok', text: `Sent ${what} to the printer.`, documentKey: about });
  };
  const shown = message && message.documentKey === documentKey ? message : null;

  return (
    <div className="print-controls" role="group" aria-label={`Print ${what}`}>
      {paperChoice ? (
        <span className="print-paper">
          <label htmlFor={paperId}>Paper</label>
          <select
            id={paperId}
            value={paper}
            onChange={(e) => {
              const next = e.target.value as Paper;
              setPaper(next);
              rememberPaper(next);
            }}
          >
            {PAPERS.map((p) => (
              <option key={p} value={p}>
                {PAPER_LABELS[p]}
              </option>
            ))}
          </select>
        </span>
      ) : null}
      <button type="button" onClick={() => void run('print')} disabled={disabled || busy !== null}>
        {busy === 'print' ? 'Preparing…' : labels.print}
      </button>
      <button type="button" onClick={() => void run('pdf')} disabled={disabled || busy !== null}>
        {busy === 'pdf' ? 'Preparing…' : labels.pdf}
      </button>
      {shown ? (
        <span className={`print-message ${shown.kind}`} role={shown.kind === 'error' ? 'alert' : 'status'}>
          {shown.text}
        </span>
      ) : null}
    </div>
  );
}

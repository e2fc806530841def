import { useState } from 'react';
import type { CompletionView } from '../../../../shared/domain/completion';
import { SIGNATURE_MEANING_LABELS } from '../../../../shared/domain/completion';
import type { Role } from '../../../../shared/domain/common';
import { ROLE_LABELS, secret } from '../../../../shared/domain/user';
import { describeLimits } from '../../../../shared/tolerance';
import { z } from 'zod';
import { ErrorBanner } from '../../components/Banner';
import { FormField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { OutcomeBadge } from '../../components/OutcomeBadge';
import { useKitForm } from '../../lib/form';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';

const NOT_DONE = { in_use: 'in use', not_located: 'not located', other: 'other reason' } as const;
const num = (n: number | null) => (n === null ? '—' : String(Number(n.toPrecision(10))));

function ReviewDialog({ record, onClose }: { record: CompletionView; onClose: () => void }) {
  const { user } = useSession();
  const dates = useDates();
  const form = useKitForm({ defaultValues: { secret: '' }, schema: z.object({ secret }) });
  const review = useChannelMutation('completions.review');
  return (
    <FormDialog
      title={`Review the ${record.taskLabel.toLowerCase()} of ${dates.date(record.performedOn)}`}
      form={form}
      submitLabel="Sign as reviewed"
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await review.run({ completionId: record.id, secret: v.secret });
        form.setValue('secret', '');
        if (res.ok) onClose();
        return res;
      }}
    >
      <p>
        You sign as <strong>Reviewed by</strong>: {user.name} ({ROLE_LABELS[user.role]}).
      </p>
      <FormField name="secret" label="Your PIN or password" required>
        {(p) => <input {...p} {...form.register('secret')} data-autofocus type="password" autoComplete="current-password" />}
      </FormField>
    </FormDialog>
  );
}

function RecordDetails({ r }: { r: CompletionView }) {
  const dates = useDates();
  return (
    <div className="record-body">
      {r.amendsId ? (
        <p className="amend-note">
          <strong>Correction</strong> of an earlier record. Reason: {r.amendReason}
        </p>
      ) : null}
      {r.amendedById ? <p className="amend-note">This record was corrected; the correction is above it in the history.</p> : null}
      <dl className="record-facts">
        <dt>Performed</dt>
        <dd>
          {dates.dateTime(r.performedAt)} by {r.performedByName}
          {r.source === 'import' ? ' (imported history, unsigned)' : r.source === 'cli' ? ' (command line)' : ''}
        </dd>
        {r.enteredLateOn ? (
          <>
            <dt>Entered</dt>
            <dd>
              {dates.dateTime(r.enteredAt)}, later than the work{r.lateReason ? `. Why: ${r.lateReason}` : ''}
            </dd>
          </>
        ) : null}
        {r.minutesSpent !== null ? (
          <>
            <dt>Time spent</dt>
            <dd>{r.minutesSpent} minutes</dd>
          </>
        ) : null}
        {r.details.method ? (
          <>
            <dt>Method and agent</dt>
            <dd>
              {r.details.method}; {r.details.agent}
            </dd>
          </>
        ) : null}
        {r.details.notDoneReason ? (
          <>
            <dt>Not done</dt>
            <dd>
              {NOT_DONE[r.details.notDoneReason]}
              {r.details.notDoneExplanation ? `: ${r.details.notDoneExplanation}` : ''}
            </dd>
          </>
        ) : null}
        {r.outcomeOverrideReason ? (
          <>
            <dt>Outcome overridden</dt>
            <dd>{r.outcomeOverrideReason}</dd>
          </>
        ) : null}
        {r.reference ? (
          <>
            <dt>Reference standard</dt>
            <dd className={r.reference.notCurrent ? 'reference-not-current' : undefined}>
              <Link to={`/equipment/${r.reference.equipmentId}`}>
                {r.reference.assetTag} {r.reference.name}
              </Link>
              {r.reference.notCurrent ? ' — NOT in calibration on this date' : ''}
            </dd>
          </>
        ) : null}
        {r.procedure ? (
          <>
            <dt>Done against</dt>
            <dd>procedure version {r.procedure.version}</dd>
          </>
        ) : null}
        {r.notes ? (
          <>
            <dt>Notes</dt>
            <dd className="pre-wrap">{r.notes}</dd>
          </>
        ) : null}
      </dl>
      {r.readings.length > 0 ? (
        <table className="data compact readings-view">
          <caption className="sr-only">Readings</caption>
          <thead>
            <tr>
              <th scope="col">Point</th>
              <th scope="col">Limits</th>
              <th scope="col">As found</th>
              <th scope="col">As left</th>
            </tr>
          </thead>
          <tbody>
            {r.readings.map((x) => (
              <tr key={x.position}>
                <th scope="row">{x.label}</th>
                <td className="nowrap">{describeLimits(x.low, x.high, x.unit)}</td>
                <td>
                  {num(x.asFound)} {x.unit} <span className={`tol ${x.foundIn ? 'in' : 'out'}`}>{x.foundIn ? 'in' : 'OUT'}</span>
                </td>
                <td>
                  {x.asLeft === null ? (
                    <span className="muted">—</span>
                  ) : (
                    <>
                      {num(x.asLeft)} {x.unit} <span className={`tol ${x.leftIn ? 'in' : 'out'}`}>{x.leftIn ? 'in' : 'OUT'}</span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {r.steps.length > 0 ? (
        <ol className="steps-view">
          {r.steps.map((s) => (
            <li key={s.position}>
              <span className={`step-result ${s.result}`}>{s.result === 'na' ? 'n.a.' : s.result}</span> {s.text}
              {s.note ? <span className="muted"> — {s.note}</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
      <ul className="signatures">
        {r.signatures.map((s) => (
          <li key={`${s.meaning}-${s.userId}`}>
            <strong>{SIGNATURE_MEANING_LABELS[s.meaning]}</strong>: {s.name} ({ROLE_LABELS[s.role as Role] ?? s.role}), {dates.dateTime(s.signedAt)}
          </li>
        ))}
        {r.signatures.length === 0 ? <li className="muted">No signature (recorded before Wardkeep, or from the command line).</li> : null}
      </ul>
      <p className="muted small">Recorded {dates.dateTime(r.createdAt)}</p>
    </div>
  );
}

/** A device's history as a timeline, newest first; each record opens to its readings and signatures. */
export function HistorySection({ equipmentId, highlight }: { equipmentId: string; highlight?: string | null }) {
  const { user } = useSession();
  const history = useChannelQuery('completions.history', { equipmentId });
  const dates = useDates();
  const [reviewing, setReviewing] = useState<CompletionView | null>(null);
  const records = history.data ?? [];
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ErrorBanner error={history.error} />
      {records.length === 0 && !history.loading ? <p className="empty">No work logged yet.</p> : null}
      <ol className="timeline">
        {records.map((r) => {
          const reviewed = r.signatures.some((s) => s.meaning === 'reviewed_by');
          const mine = r.signatures.some((s) => s.meaning === 'performed_by' && s.userId === user.id);
          // Work without a plan is corrected through the same form (a repair, through its work order).
          const amendPath = r.planId ? `/log/${r.planId}?amend=${r.id}` : r.equipmentId && r.task !== 'repair' ? `/log/unplanned/${r.equipmentId}/${r.task}?amend=${r.id}` : null;
          const mayAmend = !r.amendedById && amendPath !== null && (mine || can(user, 'supervisor'));
          const signedIt = r.signatures.some((s) => s.userId === user.id);
          const mayReview = !r.amendedById && !reviewed && !signedIt && can(user, 'supervisor') && r.signatures.length > 0;
          return (
            <li key={r.id} className={`record${r.amendedById ? ' amended' : ''}${r.id === highlight ? ' just-logged' : ''}`} data-testid="history-record">
              <details open={r.id === highlight}>
                <summary>
                  <span className="record-date">{dates.dateTime(r.performedAt)}</span> <span className="record-task">{r.taskLabel}</span> <OutcomeBadge outcome={r.outcome} />{' '}
                  <span className="record-by">{r.performedByName}</span>
                  {r.amendedById ? <span className="chip">corrected</span> : null}
                  {r.amendsId ? <span className="chip">correction</span> : null}
                  {r.source === 'import' ? <span className="chip">imported, unsigned</span> : null}
                  {r.enteredLateOn ? <span className="chip">entered late</span> : null}
                  {reviewed ? <span className="chip">reviewed</span> : null}
                  {r.reference?.notCurrent ? <span className="chip danger">reference not in calibration</span> : null}
                </summary>
                <RecordDetails r={r} />
                <div className="form-actions">
                  {mayAmend ? (
                    <Link className="button" to={amendPath}>
                      Correct this record
                    </Link>
                  ) : null}
                  {mayReview ? (
                    <button type="button" onClick={() => setReviewing(r)}>
                      Review and sign
                    </button>
                  ) : null}
                </div>
              </details>
            </li>
          );
        })}
      </ol>
      {reviewing ? <ReviewDialog record={reviewing} onClose={() => setReviewing(null)} /> : null}
    </section>
  );
}

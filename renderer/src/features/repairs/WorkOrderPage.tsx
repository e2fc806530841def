import { useEffect, useRef, useState } from 'react';
import type { WorkOrderStepView, WorkOrderView } from '../../../../shared/domain/work-order';
import { isOpen, WAITING_FOR_LABELS, WORK_ORDER_ACTION_LABELS, WORK_ORDER_STATE_LABELS } from '../../../../shared/domain/work-order';
import { formatMinutes } from '../../../../shared/repairs/downtime';
import { Banner, ErrorBanner } from '../../components/Banner';
import { StatusBadge } from '../../components/StatusBadge';
import { useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';
import type { StepKind } from './StepDialogs';
import { StepDialog } from './StepDialogs';

const money = (cents: number | null) => (cents === null ? null : (cents / 100).toFixed(2));

/** The steps a person may take next, in the order they usually come. */
function nextSteps(wo: WorkOrderView, supervisor: boolean): { kind: StepKind; label: string; primary?: boolean }[] {
  if (!isOpen(wo.state)) return [];
  const out: { kind: StepKind; label: string; primary?: boolean }[] = [];
  if (wo.state === 'reported') out.push({ kind: 'take', label: 'Take it…', primary: true });
  if (wo.state === 'in_progress') out.push({ kind: 'repair', label: 'Log the repair…', primary: true }, { kind: 'wait', label: 'Waiting for parts or a vendor…' });
  if (wo.state === 'waiting') out.push({ kind: 'resume', label: 'Resume…', primary: true }, { kind: 'repair', label: 'Log the repair…' });
  if (wo.state === 'in_progress' || wo.state === 'waiting') out.push({ kind: 'take', label: 'Take it over…' });
  if (wo.state === 'repaired') out.push({ kind: 'return', label: 'Return to service…', primary: wo.postRepairChecks.every((c) => c.passedBy) });
  if (supervisor) out.push({ kind: 'retire', label: 'Beyond repair: retire…' });
  return out;
}

/**
 * The latest repair when it no longer stands: its record was corrected to anything but a pass (it
 * was logged on the wrong pump), so main gives no codes or work done for it (repairs/views.ts). Its
 * step still holds what it recorded, and the step that sent the work order back (a "check" of the
 * task `repair`, repairs/on-record.ts) what it was corrected to, when this PC has it.
 */
function correctedRepair(wo: WorkOrderView): { repair: WorkOrderStepView; correction: WorkOrderStepView | undefined } | null {
  if (wo.repairCompletionId === null || wo.workDone !== null) return null;
  const at = wo.steps.findLastIndex((s) => s.action === 'repair');
  const repair = wo.steps[at];
  if (!repair) return null;
  const correction = wo.steps.slice(at + 1).find((s) => s.action === 'check' && s.details.task === 'repair' && s.toState === 'in_progress');
  return { repair, correction };
}

/**
 * What a step was: a take-over names whom it was taken from; the step that reopened a returned work
 * order (a record its return rested on corrected, repairs/on-record.ts) says so, and a repair that
 * no longer stands is marked corrected.
 */
function stepLabel(s: WorkOrderStepView, text: (t: string) => string, corrected: WorkOrderStepView | undefined): string {
  if (s.action === 'take' && s.details.reason) return `${WORK_ORDER_ACTION_LABELS.take} ${text(s.details.reason)}`;
  if (s === corrected) return `${WORK_ORDER_ACTION_LABELS.repair} (corrected since: it no longer stands)`;
  if (s.action === 'check' && s.fromState === 'returned') return 'Reopened';
  return WORK_ORDER_ACTION_LABELS[s.action];
}

/**
 * "The repair logged 25/11/2026 11:00 by Tom Tech (work done: …; failure code …, cause code …) was
 * corrected to "not done: other reason" on 25/11/2026 11:10: it no longer stands. A new repair is
 * logged before the device is used." The record's own outcome words, as the correction's step gave them.
 */
function correctedRepairText(c: NonNullable<ReturnType<typeof correctedRepair>>, dates: ReturnType<typeof useDates>): string {
  const d = c.repair.details;
  const codes = [d.failureCode ? `failure code ${d.failureCode}` : null, d.causeCode ? `cause code ${d.causeCode}` : null].filter(Boolean).join(', ');
  const what = [d.workDone ? `work done: ${d.workDone}` : null, codes || null].filter(Boolean).join('; ');
  const to = c.correction?.details.checkOutcome ? ` to "${c.correction.details.checkOutcome.toLowerCase()}" on ${dates.dateTime(c.correction.at)}` : ' since';
  return `The repair logged ${dates.dateTime(c.repair.at)} by ${c.repair.userName}${what ? ` (${what})` : ''} was corrected${to}: it no longer stands. A new repair is logged before the device is used.`;
}

/** One work order: the device, the fault, where it stands, the signed steps, and what comes next. */
export function WorkOrderPage({ id }: { id: string }) {
  const { user } = useSession();
  const q = useChannelQuery('workOrders.get', { id });
  const dates = useDates();
  const [open, setOpen] = useState<StepKind | null>(null);
  // `steps`: how many steps the work order had after this window's step. Once it has more (a step
  // made in another window or on another PC, or by a record signed since), the notice no longer
  // says where it stands, and goes: the state chip and the steps say it.
  const [notice, setNotice] = useState<{ text: string; kind: 'ok' | 'warn'; n: number; steps: number } | null>(null);
  // After a step the button that opened its dialog is gone (the state moved on): the focus goes to
  // the notice of what the step did, not to the document's body.
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  const wo = q.data;
  if (!wo) return q.error ? <ErrorBanner error={q.error} /> : <p className="muted">Loading…</p>;
  const state = `${WORK_ORDER_STATE_LABELS[wo.state]}${wo.waitingFor ? ` ${WAITING_FOR_LABELS[wo.waitingFor]}` : ''}`;
  const corrected = correctedRepair(wo);
  return (
    <>
      <p className="back-link">
        <Link to="/work-orders">‹ Repairs</Link>
      </p>
      <div className="page-head">
        <h1>
          {wo.ref}: <Link to={`/equipment/${wo.equipment.id}`}>{wo.equipment.name}</Link> <span className="tag-chip mono">{wo.equipment.assetTag}</span>
        </h1>
        <span className="state-chip" data-testid="work-order-state">
          {state}
        </span>
      </div>
      <p className="status-line">
        <StatusBadge status={wo.equipment.status} />
        {wo.equipment.status === 'out_of_service' ? <span className="do-not-use-chip">DO NOT USE</span> : null}
        <span className="muted">{wo.equipment.locationPath}</span>
      </p>
      {notice && wo.steps.length <= notice.steps ? (
        <div ref={noticeRef} tabIndex={-1} className="step-notice" data-testid="step-notice">
          <Banner kind={notice.kind}>{dates.text(notice.text)}</Banner>
        </div>
      ) : null}
      <div className="actions step-actions">
        {nextSteps(wo, can(user, 'supervisor')).map((s) => (
          <button key={s.kind} type="button" className={s.primary ? 'primary' : undefined} onClick={() => setOpen(s.kind)}>
            {s.label}
          </button>
        ))}
      </div>

      {wo.state === 'repaired' ? (
        <section className="panel" aria-labelledby="checks-title">
          <h2 id="checks-title">Post-repair checks</h2>
          <p className="muted">The device returns to service only once each of these has passed since the repair, signed.</p>
          <ul className="check-list">
            {wo.postRepairChecks.map((c) => (
              <li key={c.task} data-testid="post-repair-check">
                <strong>{c.taskLabel}</strong>:{' '}
                {c.passedBy ? (
                  <span className="ok-text">
                    passed {dates.dateTime(c.passedBy.performedAt)}, signed by {c.passedBy.signedBy}
                  </span>
                ) : (
                  <>
                    {c.failedBy ? <span className="warn-text">failed {dates.dateTime(c.failedBy.performedAt)}; </span> : <span>not done yet; </span>}
                    <Link to={c.planId ? `/log/${c.planId}` : `/log/unplanned/${wo.equipment.id}/${c.task}`} className="button small-button">
                      Log the {c.taskLabel.toLowerCase()}
                    </Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="wo-facts-title">
        <h2 id="wo-facts-title">The fault and the repair</h2>
        <dl className="fact-grid">
          <div className="fact span-4">
            <dt>Problem</dt>
            <dd className="pre-wrap">{dates.text(wo.problem)}</dd>
          </div>
          <div className="fact span-2">
            <dt>Reported</dt>
            <dd>
              {dates.dateTime(wo.reportedAt)} by {wo.reportedByName}, on {wo.reportedLocationPath}
            </dd>
          </div>
          <div className="fact">
            <dt>{isOpen(wo.state) ? 'Open for' : 'Took'}</dt>
            <dd>{formatMinutes(wo.ageMinutes)}</dd>
          </div>
          <div className="fact">
            <dt>With</dt>
            <dd>{wo.assignedName ?? '—'}</dd>
          </div>
          <div className="fact">
            <dt>Failure code</dt>
            <dd>{wo.failureCode ? `${wo.failureCode.label}${wo.failureCode.active ? '' : ' (no longer in the list)'}` : '—'}</dd>
          </div>
          <div className="fact">
            <dt>Cause code</dt>
            <dd>{wo.causeCode ? `${wo.causeCode.label}${wo.causeCode.active ? '' : ' (no longer in the list)'}` : '—'}</dd>
          </div>
          <div className="fact">
            <dt>Labour</dt>
            <dd>{wo.labourMinutes !== null ? formatMinutes(wo.labourMinutes) : '—'}</dd>
          </div>
          <div className="fact">
            <dt>Cost</dt>
            <dd>{money(wo.costCents) ?? '—'}</dd>
          </div>
          <div className="fact span-2">
            <dt>Vendor</dt>
            <dd>{wo.vendor ? `${wo.vendor}${wo.vendorTicket ? `, ticket ${wo.vendorTicket}` : ''}` : '—'}</dd>
          </div>
          <div className="fact span-2">
            <dt>Work done</dt>
            <dd className="pre-wrap">{wo.workDone ?? '—'}</dd>
          </div>
          {corrected ? (
            <div className="fact span-4" data-testid="corrected-repair">
              <dt>Repair corrected</dt>
              <dd className="pre-wrap warn-text">
                {correctedRepairText(corrected, dates)}
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      <section className="panel" aria-labelledby="steps-title">
        <h2 id="steps-title">Steps, each signed</h2>
        <table className="data" data-testid="work-order-steps">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Step</th>
              <th scope="col">By</th>
              <th scope="col">State</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {wo.steps.map((s) => (
              <tr key={s.id}>
                <td className="nowrap">{dates.dateTime(s.at)}</td>
                <td>{stepLabel(s, dates.text, corrected?.repair)}</td>
                <td>{s.bySystem ? `${s.userName} (by the signed record)` : s.userName}</td>
                <td>{WORK_ORDER_STATE_LABELS[s.toState]}</td>
                <td>
                  {s.note === null ? null : dates.text(s.note)}
                  {s.details.stillOut ? <strong className="warn-text"> {dates.text(s.details.stillOut)}</strong> : null}
                  {s.details.parts && s.details.parts.length > 0 ? (
                    <span className="muted"> Parts: {s.details.parts.map((p) => `${p.quantity} ${p.unit} ${p.item} from ${p.from}`).join('; ')}.</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {open ? (
        <StepDialog
          wo={wo}
          kind={open}
          onClose={() => setOpen(null)}
          onDone={(v) => {
            setOpen(null);
            const stillOut = v.state === 'returned' ? v.steps.findLast((s) => s.action === 'return')?.details.stillOut : undefined;
            const text = `${v.ref} is now ${WORK_ORDER_STATE_LABELS[v.state].toLowerCase()}.${stillOut ? ` ${stillOut}` : ''}`;
            setNotice((n) => ({ text, kind: stillOut ? 'warn' : 'ok', n: (n?.n ?? 0) + 1, steps: v.steps.length }));
          }}
        />
      ) : null}
    </>
  );
}

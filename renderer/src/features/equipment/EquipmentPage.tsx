import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import type { EquipmentStatus } from '../../../../shared/domain/equipment';
import { STATUS_LABELS } from '../../../../shared/domain/equipment';
import type { PlanView } from '../../../../shared/domain/plan';
import { OUTCOME_LABELS } from '../../../../shared/domain/plan';
import { Banner, ErrorBanner } from '../../components/Banner';
import { HistoryPrintControls } from '../../components/HistoryPrintControls';
import { StatusBadge } from '../../components/StatusBadge';
import { OWNERSHIP_LABELS, RISK_CHOICE_LABELS } from '../../lib/labels';
import { useChannelQuery } from '../../lib/query';
import { Link, navigate, queryParams, usePath } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';
import { DeleteDialog } from './DeleteDialog';
import { EditDialog } from './EditDialog';
import { FaultDialog } from './FaultDialog';
import { OpenWorkOrder } from './OpenWorkOrder';
import { UnplannedWork } from './UnplannedWork';
import { HistorySection } from './HistorySection';
import { PlansSection } from './PlansSection';
import { StatusDialog } from './StatusDialog';
import { TagClashes } from './TagClashes';

const URGENCY = { overdue: 0, due: 1, scheduled: 2, suspended: 3 } as const;

/** The plan to log first: overdue, then due, then the soonest. */
function mostUrgent(plans: readonly PlanView[]): PlanView | null {
  const active = plans.filter((p) => p.active);
  active.sort((a, b) => URGENCY[a.status] - URGENCY[b.status] || a.nextDue.localeCompare(b.nextDue));
  return active[0] ?? null;
}

type Open = { kind: 'edit' } | { kind: 'status'; status?: EquipmentStatus } | { kind: 'delete' } | { kind: 'fault' } | null;

function Fact({ label, children, span, small }: { label: string; children: ReactNode; span?: 2 | 4; small?: boolean }) {
  return (
    <div className={`fact${span ? ` span-${span}` : ''}${small ? ' small' : ''}`}>
      <dt>{label}</dt>
      <dd>{children ?? <span className="muted">—</span>}</dd>
    </div>
  );
}

/** One device: every field, its status and why, and (for supervisors) edit, status change and delete. */
export function EquipmentPage({ id }: { id: string }) {
  const { user } = useSession();
  const q = useChannelQuery('equipment.get', { id });
  const dates = useDates();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const mayEdit = can(user, 'supervisor');
  const technician = can(user, 'technician');
  const [faultMessage, setFaultMessage] = useState<string | null>(null);
  const e = q.data;
  const path = usePath();
  const logged = queryParams(path).get('logged');
  const justLogged = useChannelQuery('completions.get', { id: logged ?? '' }, { enabled: Boolean(logged) });
  // The message belongs to this device's record only: it never follows the technician to the next device.
  // One message, of the last action: a later edit, status change or fault report puts the record's away.
  const [savedDone, setSavedDone] = useState<string | null>(null);
  const saved = logged && logged !== savedDone && justLogged.data?.id === logged && justLogged.data.equipmentId === id ? justLogged.data : null;
  const plans = useChannelQuery('plans.list', { equipmentId: id });
  const next = mostUrgent(plans.data?.plans ?? []);
  const logButton = useRef<HTMLAnchorElement>(null);
  const faultButton = useRef<HTMLButtonElement>(null);
  // Straight after a scan the next key is Enter: it opens the record form for the most urgent plan.
  const focusedFor = useRef<string | null>(null);
  // Its tag on another device too: the note takes the focus, so Enter logs nothing on a guess (a scan of the tag asks which device first, SameTagChooser).
  const clashes = useChannelQuery('equipment.tagClashes', { equipmentId: id });
  const clashNote = useRef<HTMLDivElement>(null);
  // Ward staff log nothing: for them Enter after a scan opens "Report a fault".
  useEffect(() => {
    if (!e || focusedFor.current === id || logged) return;
    if (clashes.data === undefined && !clashes.error) return;
    if (clashes.data?.length) {
      focusedFor.current = id;
      clashNote.current?.focus();
    } else if (!technician) {
      focusedFor.current = id;
      faultButton.current?.focus();
    } else if (next) {
      focusedFor.current = id;
      logButton.current?.focus();
    }
  }, [next, e, id, logged, technician, clashes.data, clashes.error]);

  const savedRef = useRef<HTMLDivElement>(null);
  const savedFocused = useRef<string | null>(null);
  useEffect(() => {
    if (!saved || savedFocused.current === saved.id) return;
    savedFocused.current = saved.id;
    savedRef.current?.focus();
  }, [saved]);

  // Another device (a scan): start afresh.
  useEffect(() => {
    setOpen(null);
    setNotice(null);
    setFaultMessage(null);
  }, [id]);

  if (!e) return q.error ? <ErrorBanner error={q.error} /> : <p className="muted">Loading…</p>;
  const date = (d: string | null) => (d ? dates.date(d) : null);

  return (
    <>
      <p className="back-link">{technician ? <Link to="/equipment">‹ All devices</Link> : <Link to="/">‹ Today</Link>}</p>
      <div className="page-head device-head">
        <h1>
          {e.name} <span className="tag-chip mono">{e.assetTag}</span>
        </h1>
        <div className="actions">
          {/* A missing or retired device takes no fault report (the back end refuses it): it is found, or gone, first. */}
          {e.status === 'in_service' || e.status === 'out_of_service' ? (
            <button type="button" ref={faultButton} className={technician ? undefined : 'primary'} onClick={() => setOpen({ kind: 'fault' })}>
              Report a fault…
            </button>
          ) : null}
          {!technician ? null : next ? (
            <Link
              to={`/log/${next.id}`}
              className="button primary"
              ref={logButton}
              title="Log cleaning, calibration, an inspection or a safety test on this device"
            >
              Log work
            </Link>
          ) : null}
        </div>
        {mayEdit ? (
          <div className="actions">
            <button type="button" onClick={() => setOpen({ kind: 'edit' })}>
              Edit…
            </button>
            <button type="button" onClick={() => setOpen({ kind: 'status' })}>
              Change status…
            </button>
            <button type="button" onClick={() => setOpen({ kind: 'delete' })}>
              Delete…
            </button>
          </div>
        ) : null}
      </div>
      <p className="status-line">
        <StatusBadge status={e.status} />
        {e.statusReason ? <span className="status-reason">{dates.text(e.statusReason)}</span> : null}
      </p>
      {e.status === 'out_of_service' ? (
        <div className="do-not-use-banner" data-testid="do-not-use">
          <strong>DO NOT USE</strong> <span>It is out of service: do not use it on a patient until it is repaired and checked.</span>
        </div>
      ) : null}
      <TagClashes clashes={clashes.data ?? []} equipmentId={e.id} assetTag={e.assetTag} ref={clashNote} />
      {notice ? <Banner kind="ok">{notice}</Banner> : null}
      {faultMessage ? (
        <Banner kind="ok">
          <span data-testid="fault-reported">{faultMessage}</span>
        </Banner>
      ) : null}
      <OpenWorkOrder equipmentId={e.id} />
      {saved ? (
        // The record form's "Sign and save" went with its screen: the focus comes here, where what was saved is said.
        <div ref={savedRef} tabIndex={-1} className="step-notice" data-testid="saved-notice">
          <Banner kind={saved.outcome === 'fail' ? 'warn' : 'ok'}>
            Saved: {saved.taskLabel.toLowerCase()}, {OUTCOME_LABELS[saved.outcome].toLowerCase()}, signed by{' '}
            {saved.signatures.map((s) => s.name).join(', ')}.
            {saved.outcome === 'fail' && e.status === 'out_of_service' ? ' The device is now out of service: do not use it.' : ''}
          </Banner>
        </div>
      ) : null}
      <PlansSection equipmentId={e.id} />
      {technician && e.status !== 'retired' ? <UnplannedWork equipmentId={e.id} hasPlans={(plans.data?.plans ?? []).some((p) => p.active)} /> : null}

      <section className="panel" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="fact-grid">
          <Fact label="Location" span={2}>
            {e.locationPath}
          </Fact>
          <Fact label="Category">{e.categoryName}</Fact>
          <Fact label="Risk">{e.risk ? RISK_CHOICE_LABELS[e.risk] : null}</Fact>
          <Fact label="Manufacturer">{e.manufacturer}</Fact>
          <Fact label="Model">{e.model}</Fact>
          <Fact label="Serial number">{e.serial ? <span className="mono">{e.serial}</span> : null}</Fact>
          <Fact label="Ownership">{e.ownership ? OWNERSHIP_LABELS[e.ownership] : null}</Fact>
          <Fact label="Acquired on">{date(e.acquiredOn)}</Fact>
          <Fact label="In service since">{date(e.inServiceOn)}</Fact>
          <Fact label="Warranty until">{date(e.warrantyUntil)}</Fact>
          <Fact label="Reference standard">{e.referenceStandard ? 'Yes: calibrates other devices' : 'No'}</Fact>
          <Fact label="Notes" span={4}>
            {e.notes ? <span className="pre-wrap">{e.notes}</span> : null}
          </Fact>
          <Fact label="Added" small>
            {dates.dateTime(e.createdAt)}
          </Fact>
          <Fact label="Last changed" small>
            {dates.dateTime(e.updatedAt)}
          </Fact>
        </dl>
      </section>

      {technician ? (
        <HistoryPrintControls equipmentId={e.id} assetTag={e.assetTag} />
      ) : null}
      <HistorySection equipmentId={e.id} highlight={logged} />

      {open?.kind === 'edit' ? (
        <EditDialog
          device={e}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            setOpen(null);
            // One message, of the last action.
            setSavedDone(logged);
            setFaultMessage(null);
            setNotice(`Saved the changes to ${saved.assetTag}.`);
          }}
        />
      ) : null}
      {open?.kind === 'status' ? (
        <StatusDialog
          device={e}
          {...(open.status ? { initialStatus: open.status } : {})}
          onClose={() => setOpen(null)}
          onChanged={(status) => {
            setOpen(null);
            setSavedDone(logged);
            setFaultMessage(null);
            setNotice(`${e.assetTag} is now ${STATUS_LABELS[status].toLowerCase()}.`);
          }}
        />
      ) : null}
      {open?.kind === 'fault' ? (
        <FaultDialog
          device={e}
          onClose={() => setOpen(null)}
          onReported={(r) => {
            setOpen(null);
            setSavedDone(logged);
            setNotice(null);
            setFaultMessage(r.message);
          }}
        />
      ) : null}
      {open?.kind === 'delete' ? (
        <DeleteDialog
          device={e}
          onClose={() => setOpen(null)}
          onDeleted={() => navigate('/equipment')}
          onRetire={() => setOpen({ kind: 'status', status: 'retired' })}
        />
      ) : null}
    </>
  );
}

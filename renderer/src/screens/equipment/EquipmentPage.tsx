import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import type { EquipmentStatus } from '../../../../shared/domain/equipment';
import { STATUS_LABELS } from '../../../../shared/domain/equipment';
import { Banner, ErrorBanner } from '../../components/Banner';
import { StatusBadge } from '../../components/StatusBadge';
import { call, useQuery } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { Link, navigate } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { DeleteDialog } from './DeleteDialog';
import { draftToInput, EquipmentForm, equipmentToDraft } from './EquipmentForm';
import { OWNERSHIP_LABELS, RISK_CHOICE_LABELS } from './labels';
import { PlansSection } from './PlansSection';
import { StatusDialog } from './StatusDialog';
import { formatInstant, useDateFormat } from './use-date-format';

type Open = { kind: 'status'; status?: EquipmentStatus } | { kind: 'delete' } | null;

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
  const q = useQuery('equipment.get', { id });
  const dateFormat = useDateFormat();
  const [editing, setEditing] = useState(false);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const mayEdit = can(user, 'supervisor');
  const e = q.data;

  // Another device (a scan): start afresh.
  useEffect(() => {
    setEditing(false);
    setOpen(null);
    setNotice(null);
  }, [id]);

  if (!e) return q.error ? <ErrorBanner error={q.error} /> : <p className="muted">Loading…</p>;
  const date = (d: string | null) => (d ? formatDate(d, dateFormat) : null);

  return (
    <>
      <p className="back-link">
        <Link to="/equipment">‹ All devices</Link>
      </p>
      <div className="page-head device-head">
        <h1>
          {e.name} <span className="tag-chip mono">{e.assetTag}</span>
        </h1>
        {mayEdit && !editing ? (
          <div className="actions">
            <button type="button" ref={editButton} onClick={() => setEditing(true)}>
              Edit
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
        {e.statusReason ? <span className="status-reason">{e.statusReason}</span> : null}
      </p>
      {notice ? <Banner kind="ok">{notice}</Banner> : null}
      <PlansSection equipmentId={e.id} />

      {editing ? (
        <EquipmentForm
          initial={equipmentToDraft(e)}
          submitLabel="Save changes"
          onCancel={() => {
            setEditing(false);
            requestAnimationFrame(() => editButton.current?.focus());
          }}
          onSubmit={async (draft) => {
            const res = await call('equipment.update', { id: e.id, ...draftToInput(draft) });
            if (!res.ok) return res.error;
            setEditing(false);
            setNotice(`Saved the changes to ${res.value.assetTag}.`);
            requestAnimationFrame(() => editButton.current?.focus());
            return null;
          }}
        />
      ) : (
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
              {formatInstant(e.createdAt)}
            </Fact>
            <Fact label="Last changed" small>
              {formatInstant(e.updatedAt)}
            </Fact>
          </dl>
        </section>
      )}

      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <p className="empty">No work logged yet.</p>
      </section>

      {open?.kind === 'status' ? (
        <StatusDialog
          device={e}
          {...(open.status ? { initialStatus: open.status } : {})}
          onClose={() => setOpen(null)}
          onChanged={(status) => {
            setOpen(null);
            setNotice(`${e.assetTag} is now ${STATUS_LABELS[status].toLowerCase()}.`);
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

import { WAITING_FOR_LABELS, WORK_ORDER_STATE_LABELS } from '../../../../shared/domain/work-order';
import { formatMinutes } from '../../../../shared/repairs/downtime';
import { useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';

/** The device's open work order, on top of its page: what is wrong, where the repair stands, since when. */
export function OpenWorkOrder({ equipmentId }: { equipmentId: string }) {
  const { user } = useSession();
  const dates = useDates();
  const q = useChannelQuery('workOrders.ofEquipment', { equipmentId });
  const wo = q.data?.open;
  if (!wo) return null;
  const state = `${WORK_ORDER_STATE_LABELS[wo.state]}${wo.waitingFor ? ` ${WAITING_FOR_LABELS[wo.waitingFor]}` : ''}`;
  return (
    <section className="panel open-work-order" aria-labelledby="open-wo-title" data-testid="open-work-order">
      <h2 id="open-wo-title">
        Open work order {can(user, 'technician') ? <Link to={`/work-orders/${wo.id}`}>{wo.ref}</Link> : wo.ref}: {state.toLowerCase()}
      </h2>
      <p className="pre-wrap">{dates.text(wo.problem)}</p>
      <p className="muted">
        Reported by {wo.reportedByName} on {dates.dateTime(wo.reportedAt)} ({formatMinutes(wo.ageMinutes)} ago)
        {wo.assignedName ? `; with ${wo.assignedName}` : '; not taken yet'}.
      </p>
    </section>
  );
}

import { ErrorBanner } from '../../components/Banner';
import { StatusBadge } from '../../components/StatusBadge';
import { useQuery } from '../../lib/api';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';

export function EquipmentList() {
  const { user } = useSession();
  const list = useQuery('equipment.list', {});
  const rows = list.data ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Equipment</h1>
        <div className="actions">
          {can(user, 'supervisor') ? (
            <Link to="/equipment/new" className="button primary">
              Add device
            </Link>
          ) : null}
        </div>
      </div>
      <ErrorBanner error={list.error} />
      <table className="data" aria-label="Equipment">
        <thead>
          <tr>
            <th scope="col">Asset tag</th>
            <th scope="col">Name</th>
            <th scope="col">Location</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="mono">
                <Link to={`/equipment/${r.id}`}>{r.assetTag}</Link>
              </td>
              <td>{r.name}</td>
              <td>{r.locationPath}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !list.loading ? <p className="empty">No equipment yet.</p> : null}
    </>
  );
}

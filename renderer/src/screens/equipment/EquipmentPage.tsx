import { ErrorBanner } from '../../components/Banner';
import { StatusBadge } from '../../components/StatusBadge';
import { useQuery } from '../../lib/api';
import { PlansSection } from './PlansSection';

export function EquipmentPage({ id }: { id: string }) {
  const q = useQuery('equipment.get', { id });
  const e = q.data;
  if (!e) return <ErrorBanner error={q.error} />;
  const facts: [string, string | null][] = [
    ['Asset tag', e.assetTag],
    ['Location', e.locationPath],
    ['Category', e.categoryName],
    ['Manufacturer', e.manufacturer],
    ['Model', e.model],
    ['Serial number', e.serial],
    ['Risk', e.risk],
    ['Ownership', e.ownership],
    ['Acquired on', e.acquiredOn],
    ['In service since', e.inServiceOn],
    ['Warranty until', e.warrantyUntil],
    ['Reference standard', e.referenceStandard ? 'Yes' : 'No'],
    ['Notes', e.notes],
  ];
  return (
    <>
      <div className="page-head">
        <h1>
          {e.name} <span className="mono">{e.assetTag}</span>
        </h1>
        <StatusBadge status={e.status} />
      </div>
      <PlansSection equipmentId={e.id} />
      <section className="panel" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="facts">
          {facts.map(([label, value]) => (
            <div key={label} className="fact-row">
              <dt>{label}</dt>
              <dd>{value ?? '—'}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}

import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { STATUS_LABELS } from '../../../shared/domain/equipment';

export function StatusBadge({ status }: { status: EquipmentStatus }) {
  return <span className={`badge ${status}`}>{STATUS_LABELS[status]}</span>;
}

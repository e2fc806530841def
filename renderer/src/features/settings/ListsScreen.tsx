import { can, useSession } from '../../lib/session';
import { RepairCodesSection } from './RepairCodesSection';
import { TaskTypesSection } from './TaskTypesSection';

/**
 * Settings → Task types and repair codes: the hospital's own lists, changed in the app with no
 * new version of Wardkeep. Administrators change task types and supervisors the repair codes;
 * technicians read both (they choose from them when they plan, log and repair).
 */
export function ListsScreen() {
  const { user } = useSession();
  return (
    <>
      <div className="page-head">
        <h1>Task types and repair codes</h1>
      </div>
      <TaskTypesSection mayEdit={can(user, 'admin')} />
      <RepairCodesSection mayEdit={can(user, 'supervisor')} />
    </>
  );
}

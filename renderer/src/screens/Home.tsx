import { useQuery } from '../lib/api';
import { Link } from '../lib/router';
import { useSession } from '../lib/session';

/** "Today": the scheduler issue fills this with what is overdue and due on the user's ward. */
export function Home() {
  const { user } = useSession();
  const info = useQuery('app.info', {});
  const equipment = useQuery('equipment.list', {});
  return (
    <>
      <div className="page-head">
        <h1>Today</h1>
        {info.data ? <span>{info.data.today}</span> : null}
      </div>
      <section className="panel">
        <p>
          Signed in as <strong>{user.name}</strong>.
        </p>
        <p>
          <Link to="/equipment">{equipment.data ? `${equipment.data.length} devices` : 'Equipment'}</Link> in the register.
        </p>
      </section>
    </>
  );
}

import { useState } from 'react';
import type { FormEvent } from 'react';
import type { AppErrorValue } from '../../../shared/result';
import { ErrorBanner } from '../components/Banner';
import { Field } from '../components/Field';
import { call, useQuery } from '../lib/api';
import { fieldErrors } from '../lib/form-errors';
import { can, useSession } from '../lib/session';

const KIND_LABEL = { site: 'Site', ward: 'Department / ward', room: 'Room' } as const;

export function Locations() {
  const { user } = useSession();
  const locations = useQuery('locations.list', {});
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const { byField, general } = fieldErrors(error);
  const list = locations.data ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('locations.create', { name, parentId: parentId || null });
    if (res.ok) {
      setError(null);
      setAdded(res.value.path);
      setName('');
    } else {
      setError(res.error);
      setAdded(null);
    }
  }

  return (
    <>
      <div className="page-head">
        <h1>Locations</h1>
      </div>
      {can(user, 'supervisor') ? (
        <form className="panel stack" onSubmit={submit} noValidate aria-label="Add a location">
          <h2>Add a location</h2>
          <ErrorBanner error={general} />
          {added ? (
            <p role="status" className="banner ok">
              Added {added}.
            </p>
          ) : null}
          <div className="grid-2">
            <Field label="Inside" error={byField.parentId} help="Leave as “a new site” for a hospital or clinic; choose a site for a ward, a ward for a room.">
              {(p) => (
                <select {...p} value={parentId} onChange={(e) => setParentId(e.target.value)}>
                  <option value="">(a new site)</option>
                  {list
                    .filter((l) => l.kind !== 'room')
                    .map((l) => (
                      <option key={l.id} value={l.id}>
                        {l.path}
                      </option>
                    ))}
                </select>
              )}
            </Field>
            <Field label="Name" required error={byField.name}>
              {(p) => <input {...p} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
            </Field>
          </div>
          <div className="form-actions">
            <button type="submit" className="primary">
              Add location
            </button>
          </div>
        </form>
      ) : null}
      <table className="data" aria-label="Locations">
        <thead>
          <tr>
            <th scope="col">Location</th>
            <th scope="col">Kind</th>
          </tr>
        </thead>
        <tbody>
          {list.map((l) => (
            <tr key={l.id}>
              <td>{l.path}</td>
              <td>{KIND_LABEL[l.kind]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && !locations.loading ? <p className="empty">No locations yet.</p> : null}
    </>
  );
}

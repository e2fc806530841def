import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Role } from '../../../../shared/domain/common';
import { ROLES } from '../../../../shared/domain/common';
import type { User } from '../../../../shared/domain/user';
import { ROLE_LABELS } from '../../../../shared/domain/user';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
import { useSession } from '../../lib/session';

const ROLE_HELP: Record<Role, string> = {
  technician: 'logs work and sees everything; edits nothing in the inventory',
  supervisor: 'also inventory, plans, locations, categories, stickers and reviews',
  admin: 'also users and settings',
};

function AddUser({ onAdded }: { onAdded: (name: string) => void }) {
  const locations = useQuery('locations.list', {});
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('technician');
  const [home, setHome] = useState('');
  const [pin, setPin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('users.create', { name, role, homeLocationId: home || null, temporaryPin: pin, ...(password ? { password } : {}) });
    if (res.ok) {
      setError(null);
      onAdded(res.value.name);
      setName('');
      setPin('');
      setPassword('');
    } else setError(res.error);
  }

  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-label="Add a user">
      <h2>Add a user</h2>
      <ErrorBanner error={general} />
      <div className="grid-3">
        <Field label="Name" required error={byField.name}>
          {(p) => <input {...p} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Role" required error={byField.role} help={ROLE_HELP[role]}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Home ward" error={byField.homeLocationId} help="Their name is listed at sign-in on this ward's PCs.">
          {(p) => (
            <select {...p} value={home} onChange={(e) => setHome(e.target.value)}>
              <option value="">(any ward)</option>
              {(locations.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Temporary PIN" required error={byField.temporaryPin} help="4–8 digits. They choose their own at first sign-in.">
          {(p) => <input {...p} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />}
        </Field>
        <Field label="Password (optional)" error={byField.password} help="At least 8 characters.">
          {(p) => <input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary">
          Add user
        </button>
      </div>
    </form>
  );
}

function UserRow({ u, onMessage }: { u: User; onMessage: (m: { kind: 'ok' | 'error'; text: string }) => void }) {
  const { user: self } = useSession();
  const [resetting, setResetting] = useState(false);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);

  async function changeRole(role: Role) {
    const res = await call('users.update', { id: u.id, name: u.name, role, homeLocationId: u.homeLocationId });
    onMessage(res.ok ? { kind: 'ok', text: `${u.name} is now ${ROLE_LABELS[role].toLowerCase()}.` } : { kind: 'error', text: res.error.message });
  }
  async function toggleActive() {
    const res = await call('users.setActive', { id: u.id, active: !u.active });
    onMessage(res.ok ? { kind: 'ok', text: `${u.name} is ${u.active ? 'deactivated' : 'active again'}.` } : { kind: 'error', text: res.error.message });
  }
  async function reset(e: FormEvent) {
    e.preventDefault();
    const res = await call('users.resetPin', { id: u.id, temporaryPin: pin });
    if (res.ok) {
      setResetting(false);
      setPin('');
      setError(null);
      onMessage({ kind: 'ok', text: `${u.name}'s PIN was reset; they choose a new one at next sign-in.` });
    } else setError(res.error);
  }

  return (
    <tr>
      <td>{u.name}</td>
      <td>
        <label className="sr-only" htmlFor={`role-${u.id}`}>
          Role of {u.name}
        </label>
        <select id={`role-${u.id}`} value={u.role} onChange={(e) => void changeRole(e.target.value as Role)} disabled={!u.active}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </td>
      <td>{u.homeLocationPath ?? '(any ward)'}</td>
      <td>
        {u.active ? 'Active' : 'Deactivated'}
        {u.lockedUntil ? ' · locked' : ''}
        {u.mustSetPin ? ' · PIN to choose' : ''}
      </td>
      <td>
        {resetting ? (
          <form onSubmit={reset} className="form-actions" noValidate>
            <Field label={`New temporary PIN for ${u.name}`} error={error?.message}>
              {(p) => <input {...p} type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus />}
            </Field>
            <button type="submit" className="primary">
              Reset
            </button>
            <button type="button" onClick={() => setResetting(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <div className="form-actions">
            <button type="button" onClick={() => setResetting(true)} disabled={!u.active}>
              Reset PIN
            </button>
            {u.id !== self.id ? (
              <button type="button" onClick={() => void toggleActive()}>
                {u.active ? 'Deactivate' : 'Reactivate'}
              </button>
            ) : null}
          </div>
        )}
      </td>
    </tr>
  );
}

/** Admin: users are added, given roles, have PINs reset and are deactivated; never deleted. */
export function UsersScreen() {
  const users = useQuery('users.list', {});
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
      </div>
      {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
      <AddUser onAdded={(name) => setMessage({ kind: 'ok', text: `Added ${name}. Give them the temporary PIN; they choose their own at first sign-in.` })} />
      <ErrorBanner error={users.error} />
      <table className="data" aria-label="Users">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Home ward</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <UserRow key={u.id} u={u} onMessage={setMessage} />
          ))}
        </tbody>
      </table>
    </>
  );
}

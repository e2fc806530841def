import { useState } from 'react';
import { z } from 'zod';
import type { Role } from '../../../../shared/domain/common';
import { ROLES } from '../../../../shared/domain/common';
import type { User } from '../../../../shared/domain/user';
import { password, pin, ROLE_LABELS, UserFields } from '../../../../shared/domain/user';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormActions, FormField, KitForm, SubmitButton, useFormValues } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { then, useKitForm } from '../../lib/form';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { useSession } from '../../lib/session';

const ROLE_HELP: Record<Role, string> = {
  ward_staff: 'nurses and healthcare assistants: see Today and device pages and report faults; nothing else',
  technician: 'logs work and sees everything; edits nothing in the inventory',
  supervisor: 'also inventory, plans, locations, categories, stickers and reviews',
  admin: 'also users and settings',
};

const blankToNull = z.string().transform((v) => (v === '' ? null : v));
const userSchema = UserFields.extend({ homeLocationId: then(blankToNull, UserFields.shape.homeLocationId) });
const addSchema = userSchema.extend({ temporaryPin: pin, password: z.union([z.literal(''), password]) });

interface UserValues {
  name: string;
  role: Role;
  homeLocationId: string;
}

/** Name, role and home ward: the add form and the edit dialog alike. */
function UserFieldset({ autoFocus }: { autoFocus?: boolean }) {
  const { register, watch } = useFormValues<UserValues>();
  const locations = useChannelQuery('locations.list', {});
  const role = watch('role');
  return (
    <>
      <FormField name="name" label="Name" required>
        {(p) => <input {...p} {...register('name')} type="text" {...(autoFocus ? { 'data-autofocus': true } : {})} />}
      </FormField>
      <FormField name="role" label="Role" required help={ROLE_HELP[role]}>
        {(p) => (
          <select {...p} {...register('role')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField name="homeLocationId" label="Home ward" help="Their name is listed at sign-in on this ward's PCs.">
        {(p) => (
          <select {...p} {...register('homeLocationId')}>
            <option value="">(any ward)</option>
            {(locations.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.path}
              </option>
            ))}
          </select>
        )}
      </FormField>
    </>
  );
}

function AddUser({ onAdded, onAttempt }: { onAdded: (name: string) => void; onAttempt: () => void }) {
  const empty = { name: '', role: 'technician' as Role, homeLocationId: '', temporaryPin: '', password: '' };
  const form = useKitForm({ defaultValues: empty, schema: addSchema });
  const create = useChannelMutation('users.create');
  return (
    <KitForm
      form={form}
      className="panel stack"
      label="Add a user"
      onAttempt={onAttempt}
      onSubmit={async (v) => {
        const res = await create.run({ name: v.name, role: v.role, homeLocationId: v.homeLocationId, temporaryPin: v.temporaryPin, ...(v.password ? { password: v.password } : {}) });
        if (res.ok) {
          form.reset(empty);
          onAdded(res.value.name);
        }
        return res;
      }}
    >
      <h2>Add a user</h2>
      <div className="grid-3">
        <UserFieldset />
        <FormField name="temporaryPin" label="Temporary PIN" required help="4–8 digits. They choose their own at first sign-in.">
          {(p) => <input {...p} {...form.register('temporaryPin')} type="password" inputMode="numeric" autoComplete="off" />}
        </FormField>
        <FormField name="password" label="Password (optional)" help="At least 8 characters, not one digit repeated nor a run such as 12345678. Temporary like the PIN: it stops working once they choose their own PIN.">
          {(p) => <input {...p} {...form.register('password')} type="password" autoComplete="new-password" />}
        </FormField>
      </div>
      <FormActions>
        <SubmitButton busyLabel="Adding…">Add user</SubmitButton>
      </FormActions>
    </KitForm>
  );
}

type Update = { name: string; role: Role; homeLocationId: string | null };

/** Name, role and home ward, changed in a dialog; a change of role is confirmed first, saying what it gives or takes away. */
function EditDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (message: string) => void }) {
  const form = useKitForm({ defaultValues: { name: user.name, role: user.role, homeLocationId: user.homeLocationId ?? '' }, schema: userSchema });
  const update = useChannelMutation('users.update');
  const [roleChange, setRoleChange] = useState<Update | null>(null);
  const save = async (v: Update) => {
    const res = await update.run({ id: user.id, ...v });
    if (res.ok) onDone(v.role !== user.role ? `${res.value.name} is now ${ROLE_LABELS[v.role].toLowerCase()}.` : `Saved ${res.value.name}.`);
    return res;
  };
  return (
    <>
      <FormDialog
        title={`Edit ${user.name}`}
        form={form}
        submitLabel="Save changes"
        onClose={onClose}
        onSubmit={(v) => {
          if (v.role !== user.role) {
            setRoleChange(v);
            return null;
          }
          return save(v);
        }}
      >
        <UserFieldset autoFocus />
      </FormDialog>
      {roleChange ? (
        <ConfirmDialog
          title={`Make ${roleChange.name} ${roleChange.role === 'admin' ? 'an' : 'a'} ${ROLE_LABELS[roleChange.role].toLowerCase()}?`}
          confirmLabel={`Make ${ROLE_LABELS[roleChange.role].toLowerCase()}`}
          onClose={() => setRoleChange(null)}
          onConfirm={() => save(roleChange)}
          onDone={() => setRoleChange(null)}
        >
          <p>
            {ROLE_LABELS[user.role]} now; as {ROLE_LABELS[roleChange.role].toLowerCase()} they {ROLE_HELP[roleChange.role]}. It applies from their next action.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function ResetPinDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (message: string) => void }) {
  const form = useKitForm({ defaultValues: { temporaryPin: '' }, schema: z.object({ temporaryPin: pin }) });
  const reset = useChannelMutation('users.resetPin');
  return (
    <FormDialog
      title={`Reset the PIN of ${user.name}`}
      form={form}
      submitLabel="Reset PIN"
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await reset.run({ id: user.id, temporaryPin: v.temporaryPin });
        if (res.ok) onDone(`${user.name}'s PIN was reset; they choose a new one at next sign-in.`);
        return res;
      }}
    >
      <p>Resetting also lifts a lockout, and removes a password an administrator chose for {user.name}. They choose their own PIN at their next sign-in.</p>
      <FormField name="temporaryPin" label="New temporary PIN" required help="4 to 8 digits.">
        {(p) => <input {...p} {...form.register('temporaryPin')} type="password" inputMode="numeric" autoComplete="off" data-autofocus />}
      </FormField>
    </FormDialog>
  );
}

type Open = { kind: 'edit' | 'reset' | 'active'; user: User } | null;

/** Admin: users are added, changed (name, role, home ward), have PINs reset and are deactivated; never deleted. */
export function UsersScreen() {
  const { user: self } = useSession();
  const users = useChannelQuery('users.list', {});
  const setActive = useChannelMutation('users.setActive');
  const [message, setMessage] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const done = (text: string) => {
    setOpen(null);
    setMessage(text);
  };
  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
      </div>
      {message ? <Banner kind="ok">{message}</Banner> : null}
      <AddUser
        onAttempt={() => setMessage(null)}
        onAdded={(name) => setMessage(`Added ${name}. Give them the temporary PIN; they choose their own at first sign-in.`)}
      />
      <ErrorBanner error={users.error} />
      <table className="data users-table" aria-label="Users">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Home ward</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <th scope="row" className="row-head">
                {u.name}
              </th>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>{u.homeLocationPath ?? '(any ward)'}</td>
              <td>
                {u.active ? 'Active' : 'Deactivated'}
                {u.lockedUntil ? ' · locked' : ''}
                {u.mustSetPin ? ' · PIN to choose' : ''}
              </td>
              <td className="row-actions nowrap">
                <button type="button" onClick={() => setOpen({ kind: 'edit', user: u })} disabled={!u.active}>
                  Edit…<span className="sr-only"> {u.name}</span>
                </button>
                <button type="button" onClick={() => setOpen({ kind: 'reset', user: u })} disabled={!u.active}>
                  Reset PIN…<span className="sr-only"> of {u.name}</span>
                </button>
                {u.id !== self.id ? (
                  <button type="button" onClick={() => setOpen({ kind: 'active', user: u })}>
                    {u.active ? 'Deactivate…' : 'Reactivate…'}
                    <span className="sr-only"> {u.name}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open?.kind === 'edit' ? <EditDialog user={open.user} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === 'reset' ? <ResetPinDialog user={open.user} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === 'active' ? (
        <ConfirmDialog
          title={`${open.user.active ? 'Deactivate' : 'Reactivate'} ${open.user.name}?`}
          confirmLabel={open.user.active ? 'Deactivate' : 'Reactivate'}
          danger={open.user.active}
          onClose={() => setOpen(null)}
          onConfirm={() => setActive.run({ id: open.user.id, active: !open.user.active })}
          onDone={() => done(`${open.user.name} is ${open.user.active ? 'deactivated' : 'active again'}.`)}
        >
          <p>
            {open.user.active
              ? `${open.user.name} can no longer sign in. Their records keep their name; users are never deleted.`
              : `${open.user.name} can sign in again with their PIN or password.`}
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import type { Role } from '../../../../shared/domain/common';
import { ROLES } from '../../../../shared/domain/common';
import type { User } from '../../../../shared/domain/user';
import { password, pin, ROLE_AS_NOUN, ROLE_LABELS, UserFields } from '../../../../shared/domain/user';
import { TEMPORARY_PIN_HOURS } from '../../../../shared/contract/users';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { SubmitOutcome } from '../../components/Form';
import { FormActions, FormField, KitForm, SubmitButton, useFormValues } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { takeValuesSavedMeanwhile, then, useKitForm } from '../../lib/form';
import { channelQuery, useChannelMutation, useChannelQuery } from '../../lib/query';
import { useSession } from '../../lib/session';

/** What each role may do, in whole sentences, as docs/users.md's table says it. */
const ROLE_HELP: Record<Role, string> = {
  ward_staff: 'For nurses and healthcare assistants: they see Today and device pages and report faults, nothing else.',
  technician: 'Logs work, takes and repairs work orders and sees everything, but changes nothing in the inventory.',
  supervisor:
    'Everything a technician does, and also changes the inventory, plans, locations, categories, stickers and codes, and reviews records.',
  admin: 'Everything a supervisor does, and also manages users, settings and task types.',
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
        <FormField name="temporaryPin" label="Temporary PIN" required help={`4–8 digits. They choose their own at first sign-in, within ${TEMPORARY_PIN_HOURS} hours: after that it no longer works.`}>
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

/** What a role may do, in a sentence of its own for the role-change confirmation. */
const ROLE_DOES: Record<Role, string> = {
  ward_staff: 'Ward staff see Today and the device pages and report faults; they log no work and change nothing.',
  technician: 'Technicians log work and see everything, but change nothing in the inventory.',
  supervisor: 'Supervisors do what technicians do, and also change the inventory, plans, locations and categories, print stickers and sign records as reviewer.',
  admin: 'Administrators do what supervisors do, and also manage users and settings.',
};

/** The form's text for a home ward: none is the empty choice. */
const homeText = (id: string | null) => id ?? '';
/** A user's name, role and home ward as the edit form holds them. */
const asValues = (u: Update): UserValues => ({ name: u.name, role: u.role, homeLocationId: homeText(u.homeLocationId) });

/**
 * Name, role and home ward, changed in a dialog; a change of role is confirmed first, saying what it
 * gives or takes away. The save carries what the dialog opened with, so a change another
 * administrator made meanwhile is refused, not undone: the fields they changed (and this one did
 * not) then show their new values, and the next save keeps them.
 */
function EditDialog({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (message: string) => void }) {
  const form = useKitForm({ defaultValues: asValues(user), schema: userSchema });
  const update = useChannelMutation('users.update');
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState<Update>({ name: user.name, role: user.role, homeLocationId: user.homeLocationId });
  // The role question holds the form's submit open: its answer (the save's refusal, or nothing on
  // Cancel) goes back to the form, whose summary and fields then say the refusal.
  const [roleChange, setRoleChange] = useState<{ values: Update; answer: (outcome: SubmitOutcome) => void } | null>(null);

  const takeChangesMeanwhile = async () => {
    const users = await queryClient.fetchQuery({ ...channelQuery('users.list', {}), staleTime: 0 });
    const now = users.find((u) => u.id === user.id);
    if (!now) return;
    takeValuesSavedMeanwhile(form, asValues(opened), asValues(now));
    setOpened({ name: now.name, role: now.role, homeLocationId: now.homeLocationId });
  };

  const save = async (v: Update) => {
    const res = await update.run({ id: user.id, ...v, expected: opened });
    if (res.ok) {
      const unchanged = v.name === opened.name && v.role === opened.role && v.homeLocationId === opened.homeLocationId;
      onDone(unchanged ? `Nothing changed for ${res.value.name}.` : v.role !== opened.role ? `${res.value.name} is now ${ROLE_LABELS[v.role].toLowerCase()}.` : `Saved ${res.value.name}.`);
    } else if (res.error.field?.startsWith('expected.')) {
      await takeChangesMeanwhile();
    }
    return res;
  };
  return (
    <>
      <FormDialog
        title={`Edit ${user.name}`}
        form={form}
        submitLabel="Save changes"
        onClose={onClose}
        fieldOf={(f) => f.replace(/^expected\./, '')}
        onSubmit={(v) => {
          if (v.role !== opened.role) return new Promise<SubmitOutcome>((answer) => setRoleChange({ values: v, answer }));
          return save(v);
        }}
      >
        <UserFieldset autoFocus />
      </FormDialog>
      {roleChange ? (
        <ConfirmDialog
          title={`Make ${opened.name} ${ROLE_AS_NOUN[roleChange.values.role]}?`}
          confirmLabel={`Make ${ROLE_LABELS[roleChange.values.role].toLowerCase()}`}
          onClose={() => {
            setRoleChange(null);
            roleChange.answer(null);
          }}
          // A refusal is not kept here: it goes back to the edit form, beside its field.
          onConfirm={async () => ({ ok: true as const, value: await save(roleChange.values) })}
          onDone={(res) => {
            setRoleChange(null);
            roleChange.answer(res);
          }}
        >
          <p>
            {opened.name} is {ROLE_AS_NOUN[opened.role]} now. {ROLE_DOES[roleChange.values.role]} It applies from their next action.
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
      <p>
        Resetting also lifts a lockout, and removes a password an administrator chose for {user.name}. They choose their own PIN at their next sign-in,
        within {TEMPORARY_PIN_HOURS} hours: after that the temporary PIN no longer works.
      </p>
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
                {u.printsLike ? (
                  <p className="small warn-text prints-like" data-testid="prints-like">
                    {u.printsLike}
                  </p>
                ) : null}
              </th>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>{u.homeLocationPath ?? '(any ward)'}</td>
              <td>
                {u.active ? 'Active' : 'Deactivated'}
                {u.lockedUntil ? ' · locked' : ''}
                {u.temporaryPinExpired ? ' · temporary PIN expired' : u.mustSetPin ? ' · PIN to choose' : ''}
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

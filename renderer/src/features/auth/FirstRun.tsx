import { z } from 'zod';
import { requiredText } from '../../../../shared/domain/common';
import { password, pin } from '../../../../shared/domain/user';
import { FormActions, FormField, KitForm, SubmitButton } from '../../components/Form';
import { useKitForm } from '../../lib/form';
import { useChannelMutation } from '../../lib/query';

const schema = z
  .object({
    name: requiredText(120),
    password,
    confirm: z.string(),
    pin: z.union([z.literal(''), pin]),
  })
  .refine((v) => v.password === v.confirm, { message: 'is not the same as the password', path: ['confirm'] });

/** First run: create the first administrator. There is no default account or password anywhere. */
export function FirstRun({ onDone }: { onDone: () => void }) {
  const form = useKitForm({ defaultValues: { name: '', password: '', confirm: '', pin: '' }, schema });
  const setup = useChannelMutation('auth.setupFirstAdmin');
  const { register } = form;

  return (
    <div className="gate">
      <main className="gate-card" aria-labelledby="first-run-title">
        <h1 id="first-run-title">
          <img src="./icon.svg" alt="" /> Welcome to Wardkeep
        </h1>
        <p>Create the administrator account for this database. The administrator adds the other users, their roles and this PC&apos;s settings.</p>
        <KitForm
          form={form}
          onSubmit={async (v) => {
            const res = await setup.run({ name: v.name, password: v.password, ...(v.pin ? { pin: v.pin } : {}) });
            if (res.ok) onDone();
            return res;
          }}
        >
          <FormField name="name" label="Your name" required>
            {(p) => <input {...p} {...register('name')} type="text" autoComplete="name" autoFocus />}
          </FormField>
          <div className="grid-2">
            <FormField name="password" label="Password" required help="At least 8 characters, not one digit repeated nor a run such as 12345678.">
              {(p) => <input {...p} {...register('password')} type="password" autoComplete="new-password" />}
            </FormField>
            <FormField name="confirm" label="Password again" required>
              {(p) => <input {...p} {...register('confirm')} type="password" autoComplete="new-password" />}
            </FormField>
          </div>
          <FormField name="pin" label="PIN (optional)" help="4 to 8 digits, for signing in quickly at the ward PC.">
            {(p) => <input {...p} {...register('pin')} type="password" inputMode="numeric" autoComplete="off" />}
          </FormField>
          <FormActions>
            <SubmitButton busyLabel="Creating…">Create administrator</SubmitButton>
          </FormActions>
        </KitForm>
      </main>
    </div>
  );
}

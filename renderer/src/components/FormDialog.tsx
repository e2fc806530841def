import type { ReactNode } from 'react';
import type { FieldValues } from 'react-hook-form';
import type { KitForm as KitFormApi } from '../lib/form';
import { Dialog } from './Dialog';
import type { SubmitOutcome } from './Form';
import { FormActions, KitForm, SubmitButton } from './Form';

/**
 * The one way to change something: a modal dialog holding a kit form, its error summary at the
 * top and the standard footer (the action, then Cancel). The owner closes it once the save is
 * done (unmount it); a refused save stays open with every problem listed.
 */
export function FormDialog<TIn extends FieldValues, TOut>({
  title,
  form,
  onSubmit,
  onClose,
  submitLabel,
  children,
  wide,
  fieldOf,
  extraActions,
  describedBy,
}: {
  title: ReactNode;
  form: KitFormApi<TIn, TOut>;
  onSubmit: (values: TOut) => Promise<SubmitOutcome> | SubmitOutcome;
  onClose: () => void;
  submitLabel: string;
  children: ReactNode;
  wide?: boolean;
  fieldOf?: (serverField: string) => string | null;
  /** Further actions, after Cancel (e.g. "Stop keeping it here"). */
  extraActions?: ReactNode;
  describedBy?: string;
}) {
  return (
    <Dialog title={title} onClose={onClose} {...(wide ? { className: 'wide' } : {})} {...(describedBy ? { describedBy } : {})}>
      <KitForm form={form} onSubmit={onSubmit} {...(fieldOf ? { fieldOf } : {})}>
        {children}
        <FormActions className="dialog-actions">
          <SubmitButton>{submitLabel}</SubmitButton>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {extraActions ? (
            <>
              <span className="spacer" />
              {extraActions}
            </>
          ) : null}
        </FormActions>
      </KitForm>
    </Dialog>
  );
}

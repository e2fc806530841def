import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';
import type { FieldValues } from 'react-hook-form';
import type { KitForm as KitFormApi } from '../lib/form';
import { useScanClaim } from '../lib/unsaved-input';
import { Dialog } from './Dialog';
import type { SubmitOutcome } from './Form';
import { FormActions, KitForm, SubmitButton } from './Form';

/**
 * The one way to change something: a modal dialog holding a kit form, its error summary at the
 * top and the standard footer (the action, then Cancel). The owner closes it once the save is
 * done (unmount it); a refused save stays open with every problem listed. A scan while something
 * is typed in it asks before opening the scanned device (components/ScanListener.tsx).
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
  // The values as the dialog opened: a barcode scanned while a box or button has the focus would
  // open another page and throw away what was typed since, so the scan asks first.
  const opened = useRef<string | null>(null);
  useEffect(() => {
    opened.current = JSON.stringify(form.getValues());
  }, [form]);
  useScanClaim({
    unsaved: () =>
      opened.current !== null && JSON.stringify(form.getValues()) !== opened.current
        ? `what you typed in "${typeof title === 'string' ? title : 'this form'}"`
        : null,
  });
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

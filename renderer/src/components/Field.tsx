import type { ReactNode } from 'react';
import { useId } from 'react';

/**
 * A labelled control with its help text and its problem beside it. The label is always visible;
 * the problem is tied to the control with aria-describedby and aria-invalid (the form's error
 * summary announces it, so it is not an alert of its own).
 */
export function Field({
  label,
  error,
  help,
  required,
  children,
  className,
}: {
  label: string;
  error?: string | undefined;
  help?: ReactNode;
  required?: boolean | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string; 'aria-required'?: boolean }) => ReactNode;
  className?: string | undefined;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className={required ? 'required' : undefined}>
        {label}
      </label>
      {error ? (
        <span className="error" id={errorId}>
          <span className="sr-only">Error: </span>
          {error}
        </span>
      ) : null}
      {children({ id, 'aria-invalid': Boolean(error), ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(required ? { 'aria-required': true } : {}) })}
      {help ? (
        <span className="help" id={helpId}>
          {help}
        </span>
      ) : null}
    </div>
  );
}

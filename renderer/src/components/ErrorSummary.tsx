import type { RefObject } from 'react';
import { useEffect, useId, useRef } from 'react';
import { useFormContext, useFormState } from 'react-hook-form';
import type { FormProblem } from '../lib/form';
import { formProblems } from '../lib/form';

/** The field's position in the form, so the summary lists problems in the order a person meets them. */
function positionOf(form: HTMLFormElement | null, name: string): number {
  if (!form || !name) return -1;
  const el = form.querySelector(`[name="${CSS.escape(name)}"]`) ?? form.querySelector(`[name^="${CSS.escape(`${name}.`)}"]`);
  if (!el) return Number.MAX_SAFE_INTEGER;
  return [...form.querySelectorAll('[name]')].indexOf(el);
}

/**
 * Every problem of a refused save, at the top of the form (GOV.UK's error summary): each a link
 * that moves the focus to its field. The form moves the focus here after a refused submit; the
 * list follows the fields, so a fixed problem leaves it at once.
 */
export function ErrorSummary({ formRef, focusToken }: { formRef: RefObject<HTMLFormElement | null>; focusToken: number }) {
  const { errors } = useFormState();
  const { setFocus } = useFormContext();
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const problems: FormProblem[] = formProblems(errors);
  // After each refused submit, once its problems are on screen (they may render a moment after
  // the refusal): the focus comes here, once per refusal.
  const focusedFor = useRef(0);
  const shown = problems.length > 0;
  useEffect(() => {
    if (shown && focusToken > focusedFor.current && ref.current) {
      focusedFor.current = focusToken;
      ref.current.focus();
    }
  }, [focusToken, shown]);
  if (problems.length === 0) return null;
  const sorted = [...problems].sort((a, b) => positionOf(formRef.current, a.name) - positionOf(formRef.current, b.name));
  const focus = (name: string) => {
    // The field itself, else the first field of the row or group the problem is about ("Check 2").
    const el =
      formRef.current?.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`) ??
      formRef.current?.querySelector<HTMLElement>(`[name^="${CSS.escape(`${name}.`)}"]`);
    if (el) {
      el.focus();
      el.scrollIntoView({ block: 'center' });
    } else setFocus(name);
  };
  return (
    <div ref={ref} className="error-summary" tabIndex={-1} aria-labelledby={titleId} data-testid="error-summary">
      <h2 id={titleId} className="error-summary-title">
        {sorted.length === 1 ? 'There is a problem' : `There are ${sorted.length} problems`}
      </h2>
      <ul>
        {sorted.map((p, i) => (
          <li key={`${p.name}-${i}`}>
            {p.name ? (
              <a
                href={`#${p.name}`}
                onClick={(e) => {
                  // Not a route: the link moves the focus to the field.
                  e.preventDefault();
                  focus(p.name);
                }}
              >
                {p.message}
              </a>
            ) : (
              p.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

import type { KeyboardEvent, Ref } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { DayPicker } from 'react-day-picker';
import 'react-day-picker/style.css';
import { formatDate, parseDate } from '../../../shared/date-format';
import type { DateFormatSetting } from '../../../shared/domain/settings';
import { toDate, toIsoDate } from '../../../shared/scheduling/dates';

/**
 * The one date input: a text box in the user's date format (what they read is what they type;
 * Enter submits the form like any field), with a calendar beside it: the button, or Alt+↓ in the
 * box, opens a react-day-picker month (arrow keys move, Enter picks, Escape closes back to the
 * box). The calendar button is not a tab stop of its own, so a date is one stop.
 */
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function DateInput({
  value,
  onChange,
  onBlur,
  setting,
  inputRef,
  name,
  id,
  disabled,
  describedBy,
  invalid,
  required,
  label,
}: {
  value: string;
  onChange: (text: string) => void;
  onBlur?: () => void;
  setting: DateFormatSetting;
  inputRef?: Ref<HTMLInputElement>;
  name?: string;
  id: string;
  disabled?: boolean;
  describedBy?: string | undefined;
  invalid?: boolean;
  required?: boolean;
  /** The field's label, for the open calendar's name (its button says only "Pick from a calendar"). */
  label: string;
}) {
  const [open, setOpen] = useState(false);
  const boxRef = useRef<HTMLInputElement | null>(null);
  const wrapRef = useRef<HTMLSpanElement>(null);
  const calendarId = useId();
  const parsed = parseDate(value, setting);
  const selected = parsed.ok ? toDate(parsed.value) : undefined;

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) requestAnimationFrame(() => boxRef.current?.focus());
  };

  // A click anywhere else closes the calendar.
  useEffect(() => {
    if (!open) return undefined;
    const onDown = (e: PointerEvent) => {
      if (wrapRef.current && e.target instanceof Node && !wrapRef.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [open]);

  const onBoxKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.altKey && e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
    }
  };
  const onCalendarKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      // Closes the calendar only, not a dialog around it.
      e.preventDefault();
      e.stopPropagation();
      close(true);
    }
  };

  return (
    <span className="date-input" ref={wrapRef}>
      <input
        id={id}
        ref={(el) => {
          boxRef.current = el;
          if (typeof inputRef === 'function') inputRef(el);
          else if (inputRef) (inputRef as { current: HTMLInputElement | null }).current = el;
        }}
        name={name}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        className="date-text"
        value={value}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-required={required || undefined}
        {...(describedBy ? { 'aria-describedby': describedBy } : {})}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        onKeyDown={onBoxKey}
      />
      <button
        type="button"
        className="date-button"
        tabIndex={-1}
        disabled={disabled}
        aria-label="Pick from a calendar"
        aria-expanded={open}
        aria-controls={open ? calendarId : undefined}
        onClick={() => (open ? close(true) : setOpen(true))}
      >
        <span aria-hidden="true">▦</span>
      </button>
      {open ? (
        <div className="date-popover" id={calendarId} role="dialog" aria-label={`Calendar: ${label}`} onKeyDown={onCalendarKey}>
          <DayPicker
            mode="single"
            selected={selected}
            defaultMonth={selected ?? new Date()}
            captionLayout="dropdown"
            startMonth={new Date(1950, 0)}
            endMonth={new Date(new Date().getFullYear() + 30, 11)}
            weekStartsOn={1}
            // A day's name starts with the number it shows ("14, Saturday 14 November 2026"), so what is
            // seen is what is said (axe: label-content-name-mismatch), in the user's date format.
            labels={{
              labelDayButton: (d, modifiers) =>
                `${d.getDate()}, ${WEEKDAYS[d.getDay()]} ${formatDate(toIsoDate(d), setting)}${modifiers.today ? ', today' : ''}${modifiers.selected ? ', chosen' : ''}`,
            }}
            autoFocus
            onSelect={(day) => {
              if (day) onChange(formatDate(toIsoDate(day), setting));
              close(true);
            }}
          />
          <p className="date-popover-help">Arrow keys move, Enter picks, Escape closes.</p>
        </div>
      ) : null}
    </span>
  );
}

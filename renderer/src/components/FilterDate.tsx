import { useId } from 'react';
import { dateFormatProblem, parseDate } from '../../../shared/date-format';
import type { DateFormatSetting } from '../../../shared/domain/settings';
import { useDates } from '../lib/settings';
import { DateInput } from './DateInput';

/** A date typed into a filter: blank, a `YYYY-MM-DD`, or the sentence saying how to write it (in the user's format). */
export function readFilterDate(text: string, setting: DateFormatSetting, label: string): { value: string | null; problem: string | null } {
  if (text.trim() === '') return { value: null, problem: null };
  const p = parseDate(text, setting);
  return p.ok ? { value: p.value, problem: null } : { value: null, problem: `${label} ${dateFormatProblem(p.reason, text, setting)}.` };
}

/**
 * A date in a live filter (a report's period, a list's day): the one date input, its problem
 * beside it as soon as it is typed. The filter is not applied while a date is wrong: nothing is
 * silently read as blank or as today.
 */
export function FilterDate({ label, value, onChange, problem, help }: { label: string; value: string; onChange: (text: string) => void; problem: string | null; help?: string }) {
  const id = useId();
  const dates = useDates();
  return (
    <div className={`field filter-date${problem ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {problem ? (
        <span className="error" id={`${id}-error`}>
          <span className="sr-only">Error: </span>
          {problem}
        </span>
      ) : null}
      <DateInput
        id={id}
        value={value}
        onChange={onChange}
        setting={dates.setting}
        label={label}
        invalid={Boolean(problem)}
        describedBy={`${problem ? `${id}-error ` : ''}${id}-help`}
      />
      <span className="help" id={`${id}-help`}>
        {help ? `${help} ` : ''}
        {dates.hint}
      </span>
    </div>
  );
}

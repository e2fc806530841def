import type { FieldValues, Path } from 'react-hook-form';
import type { DateQuestion } from '../../../shared/plausible-dates';
import { CONFIRM_DATES_LABEL } from '../../../shared/plausible-dates';
import { useFormValues } from './Form';

/**
 * The question about dates that look mistyped (shared/plausible-dates.ts), beside them, with the box
 * that confirms them: the form's `confirmDates` field, which main reads as the person's answer.
 */
export function DateQuestions<T extends FieldValues & { confirmDates: boolean }>({ questions, label = 'Check the dates' }: { questions: DateQuestion[]; label?: string }) {
  const { register } = useFormValues<T>();
  if (questions.length === 0) return null;
  return (
    <div className="date-question" role="group" aria-label={label}>
      <ul className="tight-list">
        {questions.map((q) => (
          <li key={q.field} className="warn-text">
            {q.message.replace(/ Check it;.*$/, ' Check the year.')}
          </li>
        ))}
      </ul>
      <label className="check">
        <input type="checkbox" {...register('confirmDates' as Path<T>)} />
        {CONFIRM_DATES_LABEL}
      </label>
    </div>
  );
}

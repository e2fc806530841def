import { format } from 'date-fns';

/** The value of a datetime-local input for an instant, in the PC's local time. */
export function toLocalInput(instant: Date): string {
  return format(instant, "yyyy-MM-dd'T'HH:mm");
}

/** A datetime-local value (local time) as an ISO instant, or null when it is not one. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

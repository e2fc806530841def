import { format, parseISO } from 'date-fns';
import type { DateFormatSetting } from '../../../shared/domain/settings';

/** Shows a YYYY-MM-DD date in the chosen format; 'locale' follows the operating system. */
export function formatDate(iso: string | null | undefined, setting: DateFormatSetting): string {
  if (!iso) return '—';
  const date = parseISO(iso.length === 10 ? `${iso}T12:00:00` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (setting === 'locale') return new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
  return format(date, setting);
}

import type { DateFormatSetting } from '../../../shared/domain/settings';
import { useQuery } from './api';

/** The date format chosen in Settings ('locale' until it is known). */
export function useDateFormat(): DateFormatSetting {
  return useQuery('settings.get', {}).data?.dateFormat ?? 'locale';
}

/** An instant (ISO-8601) as local date and time, for "added" and "last changed". */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

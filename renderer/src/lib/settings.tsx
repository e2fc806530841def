import type { ReactNode } from 'react';
import { createContext, useContext, useMemo } from 'react';
import { dateHint, formatDate, formatDateTime, formatDaysIn } from '../../../shared/date-format';
import type { DateFormatSetting, Settings } from '../../../shared/domain/settings';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings';
import { useChannelQuery } from './query';

const SettingsContext = createContext<Settings>(DEFAULT_SETTINGS);

/**
 * The settings every screen reads (the date format, the hospital's name), read once for the
 * signed-in frame and again only when they are saved.
 */
export function SettingsProvider({ children }: { children: ReactNode }) {
  const settings = useChannelQuery('settings.get', {});
  return <SettingsContext.Provider value={settings.data ?? DEFAULT_SETTINGS}>{children}</SettingsContext.Provider>;
}

export function useSettings(): Settings {
  return useContext(SettingsContext);
}

/** The date format chosen in Settings. */
export function useDateFormat(): DateFormatSetting {
  return useSettings().dateFormat;
}

export interface DateWriter {
  setting: DateFormatSetting;
  /** A calendar date: 31/01/2026. "—" for none. */
  date: (iso: string | null | undefined) => string;
  /** An instant, local date and 24-hour time: 31/01/2026 07:52. */
  dateTime: (iso: string | null | undefined) => string;
  /** Text kept as written (a status reason, a work order's problem or note), its `YYYY-MM-DD` days written this way. */
  text: (kept: string) => string;
  /** How to write a date: dd/mm/yyyy. */
  hint: string;
}

/** Writes dates the one way Settings says, for screens. */
export function useDates(): DateWriter {
  const setting = useDateFormat();
  return useMemo(
    () => ({
      setting,
      date: (iso) => formatDate(iso, setting),
      dateTime: (iso) => formatDateTime(iso, setting),
      text: (kept) => formatDaysIn(kept, setting),
      hint: dateHint(setting),
    }),
    [setting],
  );
}

import type { ReactNode } from 'react';
import { useMemo, useState } from 'react';
import { localDay } from '../../../../shared/date-format';
import type { LocationTreeNode } from '../../../../shared/domain/location';
import type { DowntimeParamsValue } from '../../../../shared/domain/report-downtime';
import { FilterDate, readFilterDate } from '../../components/FilterDate';
import { useChannelQuery } from '../../lib/query';
import { useDates } from '../../lib/settings';

/** Toggles a value in a list, keeping the list's order stable. */
export function toggled<T>(list: readonly T[], value: T, on: boolean): T[] {
  return on ? (list.includes(value) ? [...list] : [...list, value]) : list.filter((v) => v !== value);
}

/** Checkboxes under a visible legend; none ticked means "all" when `allWhenNone` says so. */
export function ChoiceChecklist<T extends string>({
  legend,
  options,
  selected,
  onChange,
  help,
  children,
}: {
  legend: string;
  options: readonly { value: T; label: string }[];
  selected: readonly T[];
  onChange: (next: T[]) => void;
  help?: string;
  children?: ReactNode;
}) {
  return (
    <fieldset className="choices report-choices">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox"
            checked={selected.includes(o.value)}
            onChange={(e) => onChange(toggled(selected, o.value, e.target.checked))}
          />
          {o.label}
        </label>
      ))}
      {children}
      {help ? <span className="help">{help}</span> : null}
    </fieldset>
  );
}

/**
 * Several locations at once: sites, wards and rooms as nested checkboxes (a ward includes its
 * rooms). Native checkboxes: Tab moves between them, Space ticks.
 */
export function LocationChecklist({
  nodes,
  selected,
  onChange,
  legend = 'Locations',
}: {
  nodes: LocationTreeNode[];
  selected: readonly string[];
  onChange: (next: string[]) => void;
  legend?: string;
}) {
  const render = (list: LocationTreeNode[], level: number): ReactNode => (
    <ul className={`location-checklist level-${level}`}>
      {list.map((n) => (
        <li key={n.id}>
          <label className="check">
            <input
              type="checkbox"
              checked={selected.includes(n.id)}
              onChange={(e) => onChange(toggled(selected, n.id, e.target.checked))}
            />
            {n.name}
            <span className="muted small-count">{n.totalCount}</span>
          </label>
          {n.children.length > 0 ? render(n.children, level + 1) : null}
        </li>
      ))}
    </ul>
  );
  return (
    <fieldset className="choices report-choices location-choices">
      <legend>{legend}</legend>
      <span className="help">None ticked: all locations. A ward includes its rooms.</span>
      <div className="location-scroll">{nodes.length === 0 ? <p className="muted">No locations yet.</p> : render(nodes, 1)}</div>
      {selected.length > 0 ? (
        <button type="button" className="link-button" onClick={() => onChange([])}>
          Clear ({selected.length} ticked)
        </button>
      ) : null}
    </fieldset>
  );
}

/**
 * A report's period (From and To in the user's date format, starting at `firstDay(today)`) and
 * its wards: the filter panel, and the channel's input (null while a date cannot be read or the
 * period runs backwards). The downtime and failures reports share it.
 */
export function usePeriodAndPlaces(firstDay: (today: string) => string): { today: string; params: DowntimeParamsValue | null; filter: ReactNode } {
  const dates = useDates();
  const today = localDay(new Date());
  const [fromText, setFromText] = useState(() => dates.date(firstDay(today)));
  const [toText, setToText] = useState(() => dates.date(today));
  const [locationIds, setLocationIds] = useState<string[]>([]);
  const tree = useChannelQuery('locations.tree', {});
  const from = readFilterDate(fromText, dates.setting, 'From');
  const to = readFilterDate(toText, dates.setting, 'To');
  const order = from.value && to.value && to.value < from.value ? 'To must be on or after From.' : null;
  const params = useMemo(
    () =>
      from.value && to.value && !order ? { from: from.value, to: to.value, ...(locationIds.length > 0 ? { locationIds } : {}) } : null,
    [from.value, to.value, order, locationIds],
  );
  const filter = (
    <form className="panel report-filters" aria-label="Report filter" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="choices report-choices">
        <legend>Period</legend>
        <FilterDate label="From" value={fromText} onChange={setFromText} problem={from.problem} />
        <FilterDate label="To" value={toText} onChange={setToText} problem={to.problem ?? order} />
      </fieldset>
      <LocationChecklist nodes={tree.data ?? []} selected={locationIds} onChange={setLocationIds} />
    </form>
  );
  return { today, params, filter };
}

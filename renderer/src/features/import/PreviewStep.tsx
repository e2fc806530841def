import type { ImportPreview } from '../../../../shared/contract/equipment-import';
import type { EquipmentStatus } from '../../../../shared/domain/equipment';
import { STATUS_LABELS } from '../../../../shared/domain/equipment';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, FocusedError } from '../../components/Banner';
import { StatusBadge } from '../../components/StatusBadge';
import { FILE_FIELD_LABELS } from '../../lib/labels';
import { useDates } from '../../lib/settings';
import { screenMessage } from './mapping-state';
import type { LoadedFile } from './types';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** What the import would do, row by row, before anything is written. */
export function PreviewStep({
  file,
  preview,
  error,
  busy,
  onBack,
  onImport,
  headingRef,
}: {
  file: LoadedFile;
  preview: ImportPreview;
  error: AppErrorValue | null;
  busy: boolean;
  onBack: () => void;
  onImport: () => void;
  headingRef: (el: HTMLHeadingElement | null) => void;
}) {
  const { counts, problems } = preview;
  const dates = useDates();
  // Shown when the file says when tasks were last done: the plans then start from real history.
  const showDue = preview.columns.some((c) => c.lastDoneTask);
  const canImport = problems.length === 0 && counts.rows > 0;
  return (
    <div className="import-flow">
      <section className="panel">
        <h2 id="preview-title" tabIndex={-1} ref={headingRef}>
          Check the preview
        </h2>
        <p className="file-line">
          <strong>{file.name}</strong> · nothing is written until you press Import, and then every row is imported or none.
        </p>
        <dl className="stats">
          <div>
            <dt>Rows</dt>
            <dd>{counts.rows.toLocaleString()}</dd>
          </div>
          <div className="ok">
            <dt>Ready</dt>
            <dd>{counts.valid.toLocaleString()}</dd>
          </div>
          <div className={counts.invalid ? 'bad' : undefined}>
            <dt>With problems</dt>
            <dd>{counts.invalid.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Tags to generate</dt>
            <dd>{counts.tagsGenerated.toLocaleString()}</dd>
          </div>
          <div>
            <dt>New locations</dt>
            <dd>{preview.newLocations.length}</dd>
          </div>
          <div>
            <dt>New categories</dt>
            <dd>{preview.newCategories.length}</dd>
          </div>
        </dl>
      </section>

      {/* A refused Import, under the counts (the preview read again): in view when it takes the focus, never under the action bar. */}
      <FocusedError error={error} />
      {problems.length > 0 ? (
        <section className="panel problems" aria-labelledby="problems-title">
          <h2 id="problems-title">{plural(problems.length, 'problem')}: nothing can be imported yet</h2>
          <p>Fix each one in the file (then choose it again), or change the column mapping.</p>
          <table className="data compact">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Row
                </th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i}>
                  <td className="num">{p.row ?? '—'}</td>
                  <td>{p.column ?? (p.field ? FILE_FIELD_LABELS[p.field] : '—')}</td>
                  <td>{screenMessage(p)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : error ? null : (
        <Banner kind="ok">No problems: all {plural(counts.rows, 'row')} can be imported.</Banner>
      )}

      <div className="preview-grid">
        <section className="panel" aria-labelledby="status-words-title">
          <h2 id="status-words-title">Status words</h2>
          <p className="muted">How the file's status words become Wardkeep statuses. A blank status means in service.</p>
          <table className="data compact" aria-labelledby="status-words-title">
            <thead>
              <tr>
                <th scope="col">Word in the file</th>
                <th scope="col">Imported as</th>
                <th scope="col" className="num">
                  Rows
                </th>
              </tr>
            </thead>
            <tbody>
              {preview.statusWords.map((w) => (
                <tr key={`${w.word}|${w.status}`}>
                  <td>{w.word === '' ? <span className="muted">(blank)</span> : w.word}</td>
                  <td>
                    <StatusBadge status={w.status} />
                  </td>
                  <td className="num">{w.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="new-places-title">
          <h2 id="new-places-title">To be created</h2>
          <h3>{plural(preview.newLocations.length, 'new location')}</h3>
          {preview.newLocations.length ? (
            <ul className="tight-list columns">
              {preview.newLocations.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">None: every location is already known.</p>
          )}
          <h3>{plural(preview.newCategories.length, 'new category', 'new categories')}</h3>
          {preview.newCategories.length ? (
            <ul className="tight-list columns">
              {preview.newCategories.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">None.</p>
          )}
        </section>
      </div>

      {preview.warnings.length > 0 ? (
        <section className="panel" aria-labelledby="warnings-title">
          <h2 id="warnings-title">Worth knowing</h2>
          <ul className="tight-list">
            {preview.warnings.map((w, i) => (
              <li key={i}>{w.message}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="rows-title">
        <h2 id="rows-title">
          {counts.rows > preview.rows.length ? `The first ${preview.rows.length} of ${plural(counts.rows, 'row')}` : `All ${plural(counts.rows, 'row')}`}, as they
          will be stored
        </h2>
        {/* Wide files scroll sideways: the box takes the focus so the arrow keys scroll it. */}
        <div className="table-scroll" tabIndex={0} role="group" aria-labelledby="rows-title">
          <table className="data compact preview-rows" aria-labelledby="rows-title">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Row
                </th>
                <th scope="col">Asset tag</th>
                <th scope="col">Name</th>
                <th scope="col">Location</th>
                <th scope="col">Category</th>
                {/* Beside the category whose default plans they are, and the status that suspends them, so they are in view without scrolling. */}
                {showDue ? <th scope="col">Next due (from last done)</th> : null}
                <th scope="col">Status</th>
                <th scope="col">Manufacturer</th>
                <th scope="col">Model</th>
                <th scope="col">Serial</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => {
                const v = r.values;
                const blank = <span className="muted">—</span>;
                return (
                  <tr key={r.row} className={r.problemCount ? 'has-problem' : undefined}>
                    <td className="num">
                      {r.row}
                      {r.problemCount ? <span className="problem-count"> ({plural(r.problemCount, 'problem')})</span> : null}
                    </td>
                    <td className="mono nowrap">
                      {v.asset_tag ?? blank}
                      {r.tagGenerated ? <span className="new-chip">new</span> : null}
                    </td>
                    <td>{v.name ?? blank}</td>
                    <td>{v.location ?? blank}</td>
                    <td>{v.category ?? blank}</td>
                    {showDue ? (
                      <td data-testid="preview-next-due">
                        {(r.nextDue ?? []).length === 0
                          ? blank
                          : r.nextDue!.map((d) => (
                              <div key={d.task}>
                                {d.taskLabel}: <span className="nowrap">{dates.date(d.dueDate)}</span>
                                {d.lastDone ? '' : ' (no last date)'}
                              </div>
                            ))}
                      </td>
                    ) : null}
                    <td>{v.status && v.status in STATUS_LABELS ? <StatusBadge status={v.status as EquipmentStatus} /> : (v.status ?? blank)}</td>
                    <td>{v.manufacturer ?? blank}</td>
                    <td>{v.model ?? blank}</td>
                    <td className="mono">{v.serial ?? blank}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <div className="form-actions sticky-actions">
        <button type="button" onClick={onBack}>
          Back to the columns
        </button>
        <button type="button" className="primary" disabled={!canImport || busy} onClick={onImport}>
          {canImport ? `Import ${plural(counts.rows, 'device')}` : 'Import'}
        </button>
        {!canImport ? <span className="muted">Import is possible once there are no problems.</span> : null}
      </div>
    </div>
  );
}

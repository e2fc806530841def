import type { FormEvent } from 'react';
import { useId } from 'react';
import type { MappingGuess } from '../../../../shared/contract/equipment-import';
import { EQUIPMENT_FILE_FIELDS, REQUIRED_FILE_FIELDS } from '../../../../shared/domain/equipment';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { FILE_FIELD_LABELS } from '../../lib/labels';
import { useChannelQuery } from '../../lib/query';
import type { ColumnChoices, ColumnTarget } from './mapping-state';
import { exampleTags, fieldOf, requiredFields, screenMessage } from './mapping-state';
import type { LoadedFile } from './types';
import { DELIMITER_TEXT } from './types';

const HOW: Record<string, string> = {
  name: 'Recognised',
  alias: 'Recognised',
  chosen: 'Your choice',
  ignored: 'Ignored (your choice)',
  unmatched: 'Not recognised: ignored',
};

/** The column mapping screen: what each column of the file imports as, guessed from its header. */
export function MappingStep({
  file,
  guess,
  choices,
  onChoose,
  generate,
  setGenerate,
  prefix,
  setPrefix,
  prefixError,
  busy,
  onBack,
  onNext,
  headingRef,
}: {
  file: LoadedFile;
  guess: MappingGuess;
  choices: ColumnChoices;
  onChoose: (index: number, field: ColumnTarget | null) => void;
  generate: boolean;
  setGenerate: (on: boolean) => void;
  prefix: string;
  setPrefix: (p: string) => void;
  prefixError: string | undefined;
  busy: boolean;
  onBack: () => void;
  onNext: () => void;
  headingRef: (el: HTMLHeadingElement | null) => void;
}) {
  const idBase = useId();
  const types = useChannelQuery('taskTypes.list', {});
  // A column may give when a task was last done before the device came (issue 16).
  const lastDoneChoices = (types.data ?? []).filter((t) => t.target === 'equipment' && t.active && t.code !== 'repair');
  const required = requiredFields(guess.columns, choices, generate);
  const pending = Object.keys(choices).some((k) => guess.columns[Number(k)]?.field !== choices[Number(k)]);
  const blocked = guess.problems.length > 0 && !pending;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!blocked) onNext();
  }

  return (
    <form className="import-flow" onSubmit={submit} noValidate aria-labelledby="mapping-title">
      <section className="panel">
        <h2 id="mapping-title" tabIndex={-1} ref={headingRef}>
          Match the columns
        </h2>
        <p className="file-line">
          <strong>{file.name}</strong> · {file.sizeText} · {file.encodingText} · {DELIMITER_TEXT[file.delimiter]}-separated ·{' '}
          {file.headers.length} columns
        </p>
        <p className="muted">Each column of the file imports as one field of a device, or is ignored. The guesses come from the column names; change any that are wrong.</p>

        <ul className="required-list" aria-label="Required fields">
          {required.map((r) => {
            const ok = r.headers.length === 1 || (r.headers.length === 0 && r.generated);
            const blanks = r.field === 'asset_tag' && ok && !r.generated && file.blankTags > 0;
            return (
              <li key={r.field} className={!ok ? 'missing' : blanks ? 'warn' : 'ok'}>
                <span className="mark" aria-hidden="true">
                  {!ok ? '✗' : blanks ? '!' : '✓'}
                </span>
                <strong>{FILE_FIELD_LABELS[r.field]}</strong> (required):{' '}
                {r.headers.length === 1
                  ? `from “${r.headers[0]}”${r.generated ? '; blank ones generated' : blanks ? `, blank on ${file.blankTags} row${file.blankTags === 1 ? '' : 's'}` : ''}`
                  : r.headers.length > 1
                    ? `${r.headers.length} columns are mapped to it; keep one`
                    : r.generated
                      ? 'generated for every row'
                      : 'no column: map one of the columns to it'}
              </li>
            );
          })}
        </ul>

        <table className="data mapping-table">
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">First values</th>
              <th scope="col">Imports as</th>
              <th scope="col">
                <span className="sr-only">How it was chosen</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {guess.columns.map((c) => {
              const value = fieldOf(c, choices);
              const selectId = `${idBase}-col-${c.index}`;
              const how = c.index in choices ? (value ? 'chosen' : 'ignored') : c.how;
              const examples = file.samples.map((r) => r[c.index] ?? '').filter((v) => v.trim() !== '');
              return (
                <tr key={c.index} className={value ? undefined : 'ignored-row'}>
                  <td>
                    <label htmlFor={selectId} className="column-name">
                      {c.header || `(column ${c.index + 1}, no name)`}
                    </label>
                  </td>
                  <td className="examples">
                    {examples.length ? (
                      examples.map((v, i) => (
                        <span key={i} className="example" title={v}>
                          {v}
                        </span>
                      ))
                    ) : (
                      <span className="muted">(blank)</span>
                    )}
                  </td>
                  <td>
                    <select id={selectId} value={value ?? ''} onChange={(e) => onChoose(c.index, (e.target.value || null) as ColumnTarget | null)}>
                      <option value="">Ignore this column</option>
                      {EQUIPMENT_FILE_FIELDS.map((f) => (
                        <option key={f} value={f}>
                          {FILE_FIELD_LABELS[f]}
                          {REQUIRED_FILE_FIELDS.includes(f) ? ' (required)' : ''}
                        </option>
                      ))}
                      {lastDoneChoices.map((t) => (
                        <option key={t.code} value={`last_${t.code}`}>
                          Last {t.label.toLowerCase()} (date)
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className={`how how-${how}`}>{HOW[how]}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-labelledby="tags-title">
        <h2 id="tags-title">Blank asset tags</h2>
        {file.blankTags > 0 ? (
          <p>
            {file.blankTags} row{file.blankTags === 1 ? ' has' : 's have'} no asset tag. A device needs one (it is what its barcode holds): fill them in
            the file, or let Wardkeep make them.
          </p>
        ) : null}
        <label className="check">
          <input type="checkbox" checked={generate} onChange={(e) => setGenerate(e.target.checked)} />
          Generate asset tags for rows whose tag is blank
        </label>
        {generate ? (
          <div className="prefix-field">
            <Field
              label="Tag prefix"
              required
              error={prefixError}
              help={
                <>
                  Tags are the prefix, a dash and five digits: <span className="mono">{exampleTags(prefix)}</span>, counting on from the highest such tag
                  already in the inventory. 1–20 letters, digits, “-” or “_”. Print new labels for these devices.
                </>
              }
            >
              {(p) => <input {...p} type="text" value={prefix} maxLength={20} onChange={(e) => setPrefix(e.target.value)} className="mono" />}
            </Field>
          </div>
        ) : null}
      </section>

      {guess.problems.length > 0 ? (
        <Banner kind="error">
          <strong>Fix the mapping before the preview:</strong>
          <ul>
            {guess.problems.map((p, i) => (
              <li key={i}>{screenMessage(p)}</li>
            ))}
          </ul>
        </Banner>
      ) : null}
      <div className="form-actions">
        <button type="button" onClick={onBack}>
          Choose another file
        </button>
        <button type="submit" className="primary" disabled={blocked || busy}>
          Preview the import
        </button>
      </div>
    </form>
  );
}

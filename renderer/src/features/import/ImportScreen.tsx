import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportPreview, ImportResult, MappingGuess } from '../../../../shared/contract/equipment-import';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, FocusedError } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call } from '../../lib/api';
import { formatBytes, readFileBytes } from '../../lib/file';
import { fieldErrors } from '../../lib/form-errors';
import { Link } from '../../lib/router';
import type { ColumnChoices, ColumnTarget } from './mapping-state';
import { overridesFor } from './mapping-state';
import { MappingStep } from './MappingStep';
import { PreviewStep } from './PreviewStep';
import { sampleRows } from './sample-rows';
import type { LoadedFile } from './types';
import { ENCODING_TEXT } from './types';

type Step = 'file' | 'mapping' | 'preview' | 'done';
const STEPS: { step: Step; label: string }[] = [
  { step: 'file', label: 'Choose the file' },
  { step: 'mapping', label: 'Match the columns' },
  { step: 'preview', label: 'Check the preview' },
  { step: 'done', label: 'Done' },
];
const MAX_BYTES = 20_000_000;

/**
 * Importing a spreadsheet inventory: file → column mapping (guessed from the headers) → preview
 * with every problem by row and column → import. All or nothing: main writes every row or none.
 */
export function ImportScreen() {
  const [step, setStep] = useState<Step>('file');
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [choices, setChoices] = useState<ColumnChoices>({});
  const [generate, setGenerate] = useState(false);
  const [prefix, setPrefix] = useState('EQ');
  const [guess, setGuess] = useState<MappingGuess | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement | null>(null);
  // A step's heading still to take the focus: the mapping's is drawn only once its guess is back.
  const headingDue = useRef(false);
  const generation = useRef(0);

  // Each step starts at its heading, for the keyboard and for screen readers.
  const headingRef = useCallback((el: HTMLHeadingElement | null) => {
    heading.current = el;
    if (el && headingDue.current) {
      headingDue.current = false;
      el.focus();
    }
  }, []);
  useEffect(() => {
    if (step === 'file') return;
    headingDue.current = !heading.current;
    heading.current?.focus();
  }, [step]);

  // The mapping's problems, again on every change (cheap: headers only).
  useEffect(() => {
    if (!file) return;
    const mine = ++generation.current;
    void call('equipment.import.guessMapping', { headers: file.headers, mapping: overridesFor(file.headers, choices), generateTags: generate }).then((res) => {
      if (mine !== generation.current) return;
      if (res.ok) setGuess(res.value);
      else setError(res.error);
    });
  }, [file, choices, generate]);

  async function pick(picked: File | undefined) {
    setError(null);
    if (!picked) return;
    if (picked.size > MAX_BYTES) {
      setError({ code: 'invalid_input', message: `${picked.name} is ${formatBytes(picked.size)}: an inventory file may be 20 MB at most.`, field: 'file' });
      return;
    }
    setBusy(true);
    const bytes = await readFileBytes(picked);
    const res = await call('equipment.import.preview', { source: { bytes } });
    setBusy(false);
    if (!res.ok) {
      setError({ ...res.error, field: 'file' });
      return;
    }
    const p = res.value;
    if (p.headers.every((h) => h.trim() === '')) {
      setError({ code: 'invalid_input', message: p.problems[0]?.message ?? 'The file is empty.', field: 'file' });
      return;
    }
    const blankTags = p.problems.filter((x) => x.field === 'asset_tag' && /blank/i.test(x.message)).length;
    setFile({
      name: picked.name,
      sizeText: formatBytes(picked.size),
      bytes,
      headers: p.headers,
      encoding: p.encoding,
      encodingText: ENCODING_TEXT[p.encoding],
      delimiter: p.delimiter,
      columns: p.columns,
      samples: sampleRows(bytes, p),
      blankTags,
    });
    setChoices({});
    setGenerate(false);
    setGuess(null);
    setPreview(null);
    setStep('mapping');
  }

  function input(f: LoadedFile) {
    return { source: { bytes: f.bytes }, mapping: overridesFor(f.headers, choices), generateTagsPrefix: generate ? prefix.trim() : null };
  }

  async function runPreview() {
    if (!file) return;
    setBusy(true);
    const res = await call('equipment.import.preview', input(file));
    setBusy(false);
    if (!res.ok) {
      setError(res.error);
      return;
    }
    setError(null);
    setPreview(res.value);
    setStep('preview');
  }

  async function runImport() {
    if (!file) return;
    setBusy(true);
    const res = await call('equipment.import.commit', input(file));
    if (!res.ok) {
      // Refused though the preview found nothing (a tag taken since, say): the preview is read
      // again, so its counts and problems say what the refusal found, not the old all-clear.
      const again = await call('equipment.import.preview', input(file));
      if (again.ok) setPreview(again.value);
      setBusy(false);
      setError(res.error);
      return;
    }
    setBusy(false);
    setError(null);
    setResult(res.value);
    setStep('done');
  }

  function restart() {
    setFile(null);
    setGuess(null);
    setPreview(null);
    setResult(null);
    setChoices({});
    setError(null);
    setStep('file');
  }

  const { byField, general } = fieldErrors(error);
  const current = STEPS.findIndex((s) => s.step === step);

  return (
    <>
      <div className="page-head">
        <h1>Import equipment</h1>
      </div>
      <ol className="steps" aria-label="Import steps">
        {STEPS.map((s, i) => (
          <li key={s.step} className={i < current ? 'past' : i === current ? 'current' : undefined} aria-current={i === current ? 'step' : undefined}>
            <span className="step-number">{i + 1}</span> {s.label}
          </li>
        ))}
      </ol>

      {step === 'file' ? (
        <section className="panel stack" aria-labelledby="file-title">
          <h2 id="file-title">Choose a CSV file</h2>
          <p>
            Save the inventory from your spreadsheet as CSV (comma- or semicolon-separated, UTF-8 or Windows-1252) or as Unicode Text (UTF-16,
            tab-separated). The first row must hold the column names. Nothing is written until the last step, and then every row is imported or none.
          </p>
          <Field label="CSV file" error={byField.file} help={busy ? 'Reading the file…' : 'Up to 20 MB.'}>
            {(p) => <input {...p} type="file" accept=".csv,.txt,text/csv,text/plain" disabled={busy} onChange={(e) => void pick(e.target.files?.[0])} />}
          </Field>
        </section>
      ) : null}

      {step === 'mapping' && file && guess ? (
        <>
          <FocusedError error={byField.generateTagsPrefix ? null : general} />
          <MappingStep
            file={file}
            guess={guess}
            choices={choices}
            onChoose={(index: number, field: ColumnTarget | null) => setChoices((c) => ({ ...c, [index]: field }))}
            generate={generate}
            setGenerate={setGenerate}
            prefix={prefix}
            setPrefix={setPrefix}
            prefixError={byField.generateTagsPrefix}
            busy={busy}
            onBack={restart}
            onNext={() => void runPreview()}
            headingRef={headingRef}
          />
        </>
      ) : null}

      {step === 'preview' && file && preview ? (
        <PreviewStep
          file={file}
          preview={preview}
          error={error}
          busy={busy}
          onBack={() => {
            setError(null);
            setStep('mapping');
          }}
          onImport={() => void runImport()}
          headingRef={headingRef}
        />
      ) : null}

      {step === 'done' && result ? (
        <section className="panel stack" aria-labelledby="done-title">
          <h2 id="done-title" tabIndex={-1} ref={headingRef}>
            Imported {result.created.toLocaleString()} device{result.created === 1 ? '' : 's'}
          </h2>
          <Banner kind="ok">Every row of {file?.name ?? 'the file'} is in the inventory, and the import is in the audit trail.</Banner>
          {result.generatedTags.length > 0 ? (
            <div>
              <h3>
                {result.generatedTags.length} generated asset tag{result.generatedTags.length === 1 ? '' : 's'}: print labels for them
              </h3>
              <p className="tag-list mono">{result.generatedTags.join(', ')}</p>
            </div>
          ) : null}
          <div className="grid-2">
            <div>
              <h3>New locations</h3>
              {result.newLocations.length ? (
                <ul className="tight-list">
                  {result.newLocations.map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              ) : (
                <p className="muted">None.</p>
              )}
            </div>
            <div>
              <h3>New categories</h3>
              {result.newCategories.length ? (
                <ul className="tight-list">
                  {result.newCategories.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              ) : (
                <p className="muted">None.</p>
              )}
            </div>
          </div>
          <div className="form-actions">
            <Link to="/equipment" className="button primary">
              Open the list
            </Link>
            <button type="button" onClick={restart}>
              Import another file
            </button>
          </div>
        </section>
      ) : null}
    </>
  );
}

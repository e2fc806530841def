import type { CSSProperties, ReactNode } from 'react';
import { createContext, useContext, useEffect } from 'react';
import type { Paper, PrintHeader } from '../../../../shared/domain/report';
import { headerLineText } from '../../../../shared/domain/report';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { formatDateTime } from '../../../../shared/date-format';

/**
 * The pieces every printed document is made of (a new printable list is a view built from these):
 * - PrintFrame: the page (A4 or Letter portrait via a named @page with "Page N of M" in its
 *   margin), the document header, and the ready signal;
 * - PrintTable: a table whose head (a running title row and the column heads) repeats on every
 *   page and whose rows never split across pages;
 * - CheckBox and WriteIn: a box to tick and a blank to write in;
 * - GroupRow: a full-width row naming a group (a ward), kept with the row after it.
 */

/** Tells the print route the document is laid out (set by PrintApp). */
export const PrintReadyContext = createContext<(title: string) => void>(() => undefined);

/** Waits for fonts and images (barcodes) and two frames, then signals ready once. */
function Ready({ title }: { title: string }) {
  const signal = useContext(PrintReadyContext);
  useEffect(() => {
    let live = true;
    const images = [...document.images].map((img) => img.decode().catch(() => undefined));
    void Promise.all([document.fonts.ready, ...images]).then(() =>
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          if (live) signal(title);
        }),
      ),
    );
    return () => {
      live = false;
    };
  }, [signal, title]);
  return null;
}

export function formatPrintedAt(iso: string, dateFormat: DateFormatSetting): string {
  return formatDateTime(iso, dateFormat);
}

/** "General Hospital · Due list": the line that heads every page of a table. */
export function runningTitle(header: PrintHeader, extra?: string): string {
  return [header.hospitalName, header.title, extra].filter((s) => s && s.length > 0).join(' · ');
}

export function DocumentHeader({ header, children }: { header: PrintHeader; children?: ReactNode }) {
  return (
    <header className="print-header">
      <div className="print-header-main">
        {header.hospitalName ? <p className="print-hospital">{header.hospitalName}</p> : null}
        <h1 className="print-title">{header.title}</h1>
        <ul className="print-filter" aria-label="Filter">
          {/* Main marks the filter's days; written here, they are the rows' format and locale. Names print as written. */}
          {header.filter.map((line, i) => (
            <li key={i}>{headerLineText(line, header.dateFormat)}</li>
          ))}
        </ul>
      </div>
      <dl className="print-meta">
        <dt>Printed by</dt>
        <dd>{header.printedBy}</dd>
        <dt>Printed at</dt>
        <dd>{formatPrintedAt(header.printedAt, header.dateFormat)}</dd>
        {header.auditHead ? (
          <>
            <dt>Audit head</dt>
            <dd className="mono" data-testid="audit-head">
              {header.auditHead.head} <span className="print-sub">chain {header.auditHead.chain}</span>
            </dd>
          </>
        ) : null}
      </dl>
      {children}
    </header>
  );
}

/**
 * One printable document on A4 or Letter portrait. `title` becomes the document title (the PDF's
 * title) once everything is laid out.
 */
export function PrintFrame({
  paper,
  header,
  children,
  className,
  style,
}: {
  paper: Paper;
  header: PrintHeader;
  children: ReactNode;
  className?: string;
  /** Custom properties a view sets for print.css (the date columns' --date-text: date-columns.ts). */
  style?: CSSProperties | undefined;
}) {
  return (
    <article className={`print-doc paper-${paper}${className ? ` ${className}` : ''}`} style={style} data-testid="print-document">
      <DocumentHeader header={header} />
      {children}
      <Ready title={[header.title, header.hospitalName].filter(Boolean).join(' - ')} />
    </article>
  );
}

/** The audit head in a line, for label sheets that have no document header: `Audit head 4521:9f3a… (chain 0198a3f2)`. */
export function AuditHeadLine({ header }: { header: PrintHeader }) {
  if (!header.auditHead) return null;
  return (
    <p className="print-audit-head" data-testid="audit-head">
      Printed {formatPrintedAt(header.printedAt, header.dateFormat)} by {header.printedBy} · Audit head {header.auditHead.head} (chain {header.auditHead.chain})
    </p>
  );
}

/** A frame without the document header, for label stock (stickers). */
export function BareFrame({ title, className, style, children }: { title: string; className: string; style?: CSSProperties; children: ReactNode }) {
  return (
    <article className={`print-doc ${className}`} style={style} data-testid="print-document">
      {children}
      <Ready title={title} />
    </article>
  );
}

export interface PrintColumn {
  key: string;
  label: ReactNode;
  /** Sets the width (`col-*` classes in print.css) and alignment. */
  className?: string;
}

export function PrintTable({
  columns,
  running,
  caption,
  children,
  className,
  columnHeads = true,
}: {
  columns: PrintColumn[];
  /** Heads every page, above the column heads. */
  running: ReactNode;
  caption?: string;
  children: ReactNode;
  className?: string;
  /** False: the running head alone repeats (a single column of records has no heads to name). */
  columnHeads?: boolean;
}) {
  return (
    <table className={`print-table${className ? ` ${className}` : ''}`}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <colgroup>
        {columns.map((c) => (
          <col key={c.key} className={c.className} />
        ))}
      </colgroup>
      <thead>
        <tr className="print-running">
          <th colSpan={columns.length} scope="colgroup">
            {running}
          </th>
        </tr>
        {columnHeads ? (
          <tr className="print-column-heads">
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.className}>
                {c.label}
              </th>
            ))}
          </tr>
        ) : null}
      </thead>
      {children}
    </table>
  );
}

/** A full-width row naming the group of the rows after it (kept on their page). */
export function GroupRow({ span, children }: { span: number; children: ReactNode }) {
  return (
    <tr className="print-group">
      <th colSpan={span} scope="colgroup">
        {children}
      </th>
    </tr>
  );
}

/** An empty box to tick by hand. */
export function CheckBox({ label }: { label: string }) {
  return (
    <span className="print-checkbox" role="img" aria-label={label}>
      <span aria-hidden="true" />
    </span>
  );
}

/** A blank to write in (a cell with a baseline). */
export function WriteIn() {
  return <span className="print-write-in" aria-hidden="true" />;
}

/** Lines at the end of a document for a supervisor to sign. */
export function SignOff({ lines }: { lines: string[] }) {
  return (
    <section className="print-signoff" aria-label="Sign-off">
      {lines.map((l) => (
        <p key={l}>
          <span>{l}</span>
          <span className="print-write-in long" aria-hidden="true" />
        </p>
      ))}
    </section>
  );
}

/** Rows already sorted by ward, cut into runs of one ward each (a table per ward, named on each of its pages). */
export function byWard<T extends { wardPath: string }>(rows: readonly T[]): { ward: string; rows: T[] }[] {
  const out: { ward: string; rows: T[] }[] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last && last.ward === r.wardPath) last.rows.push(r);
    else out.push({ ward: r.wardPath, rows: [r] });
  }
  return out;
}

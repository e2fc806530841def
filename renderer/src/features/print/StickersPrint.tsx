import type { Sticker, StickersDocument } from '../../../../shared/domain/report-stickers';
import { LABEL_STOCKS } from '../../../../shared/domain/report-stickers';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { formatDate, formatDaysIn } from '../../../../shared/date-format';
import { Barcode } from './Barcode';
import { AuditHeadLine, BareFrame } from './layout';

function StickerLabel({
  sticker: s,
  symbology,
  dateFormat,
}: {
  sticker: Sticker;
  symbology: StickersDocument['symbology'];
  dateFormat: DateFormatSetting;
}) {
  const date = (d: string | null) => (d ? formatDate(d, dateFormat) : '—');
  if (s.kind === 'do_not_use') {
    return (
      <div className="sticker do-not-use" data-testid="sticker" data-tag={s.assetTag}>
        <p className="sticker-dnu">DO NOT USE</p>
        <div className="sticker-code">
          <Barcode text={s.assetTag} symbology={symbology} />
        </div>
        <div className="sticker-text">
          <p className="sticker-tag">{s.assetTag}</p>
          <p className="sticker-name">{s.name}</p>
          <p className="sticker-reason">{s.reason === null ? null : formatDaysIn(s.reason, dateFormat)}</p>
        </div>
      </div>
    );
  }
  return (
    <div className="sticker calibrated" data-testid="sticker" data-tag={s.assetTag}>
      <div className="sticker-code">
        <Barcode text={s.assetTag} symbology={symbology} />
      </div>
      <div className="sticker-text">
        <p className="sticker-tag">{s.assetTag}</p>
        <p className="sticker-name">{s.name}</p>
        <p className="sticker-line">
          Calibrated <strong>{date(s.calibratedOn)}</strong>
          {s.initials ? (
            <>
              {' '}
              by <strong>{s.initials}</strong>
            </>
          ) : null}
        </p>
        <p className="sticker-line sticker-next">
          Next due <strong>{date(s.nextDue)}</strong>
        </p>
      </div>
    </div>
  );
}

/**
 * Stickers on a label sheet (cells from the top left, after any already used) or a label printer
 * roll (one label a page). The page is the label stock: its own @page size, no margins, no page
 * numbers.
 */
export default function StickersPrint({ document }: { document: StickersDocument }) {
  const stock = LABEL_STOCKS[document.stock];
  const perPage = stock.columns * stock.rows;
  const cells: (Sticker | null)[] = [...Array.from({ length: document.skip }, () => null), ...document.stickers];
  const pages: (Sticker | null)[][] = [];
  for (let i = 0; i < cells.length; i += perPage) pages.push(cells.slice(i, i + perPage));
  return (
    <BareFrame
      title={[document.header.title, document.header.hospitalName].filter(Boolean).join(' - ')}
      className={`stickers-print stock-${document.stock} symbology-${document.symbology}`}
    >
      {pages.map((page, p) => (
        <section key={p} className="sticker-page" aria-label={`Sheet ${p + 1} of ${pages.length}`}>
          {page.map((s, i) =>
            s ? (
              <StickerLabel
                key={`${s.equipmentId}-${i}`}
                sticker={s}
                symbology={document.symbology}
                dateFormat={document.header.dateFormat}
              />
            ) : (
              <div key={`blank-${i}`} className="sticker blank" aria-hidden="true" />
            ),
          )}
          {/* A sheet of labels has a margin below its last row: the audit head goes there (a roll label has none). */}
          {perPage > 1 ? <AuditHeadLine header={document.header} /> : null}
        </section>
      ))}
    </BareFrame>
  );
}

import type { CSSProperties } from 'react';
import type { LabelStockId, Sticker, StickersDocument } from '../../../../shared/domain/report-stickers';
import { LABEL_STOCKS } from '../../../../shared/domain/report-stickers';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { formatDate, formatDaysIn } from '../../../../shared/date-format';
import { Barcode, barcodeSvg } from './Barcode';
import { AuditHeadLine, BareFrame } from './layout';

/** The blank edge inside each label (mm), set on the document as --pad for print.css. */
const LABEL_PAD_MM: Record<LabelStockId, number> = { 'a4-3x8': 2.5, 'letter-3x10': 1.6, 'roll-62x29': 1.8, 'roll-50x25': 1.4 };
/** A DO NOT USE sticker's frame (print.css: a 1.2 mm border, the padding 0.6 mm less) takes 0.6 mm more each side. */
const DNU_FRAME_EXTRA_MM = 0.6;

/** The width a barcode may take across a label: the label less its edges. */
function printableWidthMm(stock: LabelStockId, doNotUse: boolean): number {
  return LABEL_STOCKS[stock].size.width - 2 * (LABEL_PAD_MM[stock] + (doNotUse ? DNU_FRAME_EXTRA_MM : 0));
}

/** A tag longer than this prints in the smaller type, wrapped, so that it fits whole. */
const LONG_TAG = 20;

function StickerLabel({
  sticker: s,
  stock,
  symbology,
  dateFormat,
}: {
  sticker: Sticker;
  stock: LabelStockId;
  symbology: StickersDocument['symbology'];
  dateFormat: DateFormatSetting;
}) {
  const date = (d: string | null) => (d ? formatDate(d, dateFormat) : '—');
  const dnu = s.kind === 'do_not_use';
  // The symbology drawn (a QR code when Code 128 cannot carry this tag) sets the label's layout.
  const code = barcodeSvg(s.assetTag, symbology, printableWidthMm(stock, dnu));
  const tag = <p className={`sticker-tag${s.assetTag.length > LONG_TAG ? ' long' : ''}`}>{s.assetTag}</p>;
  if (dnu) {
    return (
      <div className={`sticker code-${code.symbology} do-not-use`} data-testid="sticker" data-tag={s.assetTag}>
        <p className="sticker-dnu">DO NOT USE</p>
        <div className="sticker-code">
          <Barcode text={s.assetTag} code={code} />
        </div>
        <div className="sticker-text">
          {tag}
          <p className="sticker-name">{s.name}</p>
          <p className="sticker-reason">{s.reason === null ? null : formatDaysIn(s.reason, dateFormat)}</p>
        </div>
      </div>
    );
  }
  return (
    <div className={`sticker code-${code.symbology} calibrated`} data-testid="sticker" data-tag={s.assetTag}>
      <div className="sticker-code">
        <Barcode text={s.assetTag} code={code} />
      </div>
      <div className="sticker-text">
        {tag}
        <p className="sticker-name">{s.name}</p>
        <p className="sticker-line">
          Calibrated <strong>{date(s.calibratedOn)}</strong>
          {s.initials ? (
            <>
              {' '}
              <span className="sticker-by">
                by <strong>{s.initials}</strong>
              </span>
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
      style={{ '--pad': `${LABEL_PAD_MM[document.stock]}mm` } as CSSProperties}
    >
      {pages.map((page, p) => (
        <section key={p} className="sticker-page" aria-label={`Sheet ${p + 1} of ${pages.length}`}>
          {page.map((s, i) =>
            s ? (
              <StickerLabel
                key={`${s.equipmentId}-${i}`}
                sticker={s}
                stock={document.stock}
                symbology={document.symbology}
                dateFormat={document.header.dateFormat}
              />
            ) : (
              <div key={`blank-${i}`} className={`sticker code-${document.symbology} blank`} aria-hidden="true" />
            ),
          )}
          {/* A sheet of labels has a margin below its last row: the audit head goes there (a roll label has none). */}
          {perPage > 1 ? <AuditHeadLine header={document.header} /> : null}
        </section>
      ))}
    </BareFrame>
  );
}

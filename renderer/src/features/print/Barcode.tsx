import { code128, drawingSVG, qrcode } from 'bwip-js/browser';
import type { Symbology } from '../../../../shared/domain/report-stickers';

/**
 * The narrowest Code 128 module (bar unit) a sticker prints, in millimetres. Narrower bars do not
 * survive a 300 dpi label printer and a ward's hand scanner (8 mil, about 2.4 printer dots); a tag
 * whose symbol would have to be squeezed thinner than this to fit the label prints as a QR code.
 */
export const MIN_CODE128_MODULE_MM = 0.2;

/** Code 128 (set B) holds the printable ASCII characters, space to tilde, and nothing else. */
const CODE128_TEXT = /^[\x20-\x7e]+$/;

export interface BarcodeImage {
  svg: string;
  /** What was drawn: a QR code when Code 128 was asked for but cannot carry the tag. */
  symbology: Symbology;
}

/**
 * An asset tag as a barcode, drawn by bwip-js as SVG in the renderer (no eval, no canvas, nothing
 * fetched: the CSP allows the data: image). Code 128 holds printable ASCII only (bwip-js would
 * encode anything else byte by byte and a scanner would read mojibake), and a long tag makes a
 * symbol too wide for a small label: either way the tag falls back to a QR code, which holds any
 * text in a small square. `maxWidthMm` is the width the barcode may take on the label.
 */
export function barcodeSvg(text: string, symbology: Symbology, maxWidthMm: number): BarcodeImage {
  if (symbology === 'code128' && CODE128_TEXT.test(text)) {
    try {
      // The quiet zone (ten modules each side) is drawn in: a sticker's edge may be close. At scale 1
      // the drawing is one unit a module wide, so its width is the module count, quiet zones included.
      const svg = code128({ bcid: 'code128', text, height: 10, scale: 1, includetext: false, paddingwidth: 10 }, drawingSVG());
      const box = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
      const modules = Number(box?.[1]);
      if (box && modules > 0 && maxWidthMm / modules >= MIN_CODE128_MODULE_MM) {
        // Its size gives the image its proportions; squeezed to the label's width the bars get
        // thinner but keep their height.
        return { svg: svg.replace('<svg ', `<svg width="${box[1]}" height="${box[2]}" preserveAspectRatio="none" `), symbology };
      }
    } catch {
      // not encodable in Code 128: use a QR code instead
    }
  }
  return { svg: qrcode({ bcid: 'qrcode', text, paddingwidth: 4, paddingheight: 4 }, drawingSVG()), symbology: 'qr' };
}

export function Barcode({ text, code }: { text: string; code: BarcodeImage }) {
  return (
    <img
      className={`barcode barcode-${code.symbology}`}
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(code.svg)}`}
      alt={`${code.symbology === 'qr' ? 'QR code' : 'Barcode'} of ${text}`}
    />
  );
}

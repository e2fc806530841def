import { code128, drawingSVG, qrcode } from 'bwip-js/browser';
import type { Symbology } from '../../../../shared/domain/report-stickers';

/**
 * An asset tag as a barcode, drawn by bwip-js as SVG in the renderer (no eval, no canvas, nothing
 * fetched: the CSP allows the data: image). Code 128 holds ASCII only: a tag it cannot encode
 * falls back to a QR code, which holds any text.
 */
export function barcodeSvg(text: string, symbology: Symbology): { svg: string; symbology: Symbology } {
  if (symbology === 'code128') {
    try {
      // The quiet zone (ten modules each side) is drawn in: a sticker's edge may be close.
      return { svg: code128({ bcid: 'code128', text, height: 10, includetext: false, paddingwidth: 10 }, drawingSVG()), symbology };
    } catch {
      // not encodable in Code 128 (a character outside ASCII): use a QR code instead
    }
  }
  return { svg: qrcode({ bcid: 'qrcode', text, paddingwidth: 4, paddingheight: 4 }, drawingSVG()), symbology: 'qr' };
}

export function Barcode({ text, symbology }: { text: string; symbology: Symbology }) {
  const code = barcodeSvg(text, symbology);
  return (
    <img
      className={`barcode barcode-${code.symbology}`}
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(code.svg)}`}
      alt={`${code.symbology === 'qr' ? 'QR code' : 'Barcode'} of ${text}`}
    />
  );
}

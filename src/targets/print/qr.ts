// QR codes of the printed handout: inline SVG (vector, sharp at any print resolution), made by the `qrcode` package.
import QRCode from 'qrcode';

/** Error correction M (15 %): survives a smudge or a fold; a 4-module quiet zone, as the standard asks. */
const OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } } as const;

/** `<svg …>` drawing the QR code of `text`, labelled for screen readers and the PDF's structure tree. */
export async function qrSvg(text: string, label: string): Promise<string> {
  const svg = await QRCode.toString(text, OPTIONS);
  const escaped = label.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg.trim().replace(/^<svg /, `<svg class="qr-code" role="img" aria-label="${escaped}" `);
}

/** The modules of the QR code of `text` (true: dark), row by row: what a reader of the printed code must see. */
export function qrModules(text: string): boolean[][] {
  const code = QRCode.create(text, { errorCorrectionLevel: OPTIONS.errorCorrectionLevel });
  const size = code.modules.size;
  return Array.from({ length: size }, (_, y) => Array.from({ length: size }, (_, x) => Boolean(code.modules.get(y, x))));
}

export const QR_MARGIN = OPTIONS.margin;

// The town's letterhead and page furniture shared by every printed document: logo (the town's own, or a drawn
// town-hall shield), name, service and régie, address and contacts, the document's title box, the footer with
// the régie mention and page numbers, and the styles the documents use.
import { formatEuros } from '../../../core/money';
import { formatPhone } from '../../../core/validation/phone';
import type { TownLetterhead } from '../../../db/repositories/town-letterhead';
import type { PaymentMode } from '../../../db/schema';
import type { PdfContent, PdfDocument } from './render-pdf';

export const PRIMARY = '#1d4f91';
export const MUTED = '#4a5560';
export const RULE = '#c9d1db';
export const FILL = '#eef2f7';

/** Amounts on paper: "1 234,56 €" (no-break spaces, never split across lines). */
export function euros(cents: number): string {
  return formatEuros(cents);
}

/** A simple town-hall shield in the theme's blue, for towns without a logo of their own. */
export function drawnLogoSvg(): string {
  const columns = [16, 23, 30, 37]
    .map((x) => `<rect x="${x}" y="29" width="3" height="12" fill="#ffffff"/>`)
    .join('');
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="64" viewBox="0 0 56 64">' +
    `<path d="M4 4 H52 V34 C52 50 40 58 28 62 C16 58 4 50 4 34 Z" fill="${PRIMARY}"/>` +
    '<path d="M8 8 H48 V34 C48 47.5 38 54.5 28 57.8 C18 54.5 8 47.5 8 34 Z" fill="none" stroke="#ffffff" stroke-width="1.2"/>' +
    '<path d="M13 24 L28 14 L43 24 Z" fill="#ffffff"/>' +
    '<rect x="14" y="25.5" width="28" height="2" fill="#ffffff"/>' +
    columns +
    '<rect x="13" y="42" width="30" height="3" fill="#ffffff"/>' +
    '<rect x="11" y="46" width="34" height="2" fill="#ffffff"/>' +
    '</svg>'
  );
}

function logoContent(town: TownLetterhead): PdfContent {
  const logo = town.logo;
  if (logo && (logo.contentType === 'image/png' || logo.contentType === 'image/jpeg')) {
    const base64 = Buffer.from(logo.data).toString('base64');
    return { image: `data:${logo.contentType};base64,${base64}`, fit: [56, 64] };
  }
  if (logo && logo.contentType === 'image/svg+xml') {
    return { svg: Buffer.from(logo.data).toString('utf8'), fit: [56, 64] };
  }
  return { svg: drawnLogoSvg(), width: 56, height: 64 };
}

function phoneText(phone: string | null): string | null {
  return phone ? formatPhone(phone) : null;
}

const MODE_TEXT: Readonly<Record<PaymentMode, string>> = {
  especes: 'Espèces',
  cheque: 'Chèque',
  carte: 'Carte bancaire (TPE)',
  cesu: 'CESU',
  ancv: 'Chèques vacances ANCV',
  en_ligne: 'Paiement en ligne',
  prelevement: 'Prélèvement automatique',
};

/** "Chèque", "Chèques vacances ANCV". */
export function paymentModeText(mode: PaymentMode): string {
  return MODE_TEXT[mode];
}

/** The payment's reference as written on paper: "n° 1234567 — Crédit Mutuel", "réf. TPE 0042"; '' when none. */
export function paymentReferenceText(p: {
  mode: PaymentMode;
  bank: string | null;
  chequeNumber: string | null;
  tpeReference: string | null;
  providerReference: string | null;
}): string {
  const parts: string[] = [];
  if (p.chequeNumber)
    parts.push(p.mode === 'cheque' ? `n° ${p.chequeNumber}` : `titres n° ${p.chequeNumber}`);
  if (p.bank) parts.push(p.bank);
  if (p.tpeReference) parts.push(`réf. TPE ${p.tpeReference}`);
  if (p.providerReference) parts.push(`réf. ${p.providerReference}`);
  return parts.join(' — ');
}

/** The town's contact lines: address, phone · e-mail, website. */
export function townContactLines(town: TownLetterhead): string[] {
  const address = [town.street, [town.postcode, town.city].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(' — ');
  const contacts = [phoneText(town.servicePhone ?? town.phone), town.email].filter(Boolean).join(' · ');
  const website = town.website?.replace(/^https?:\/\//, '') ?? '';
  return [address, contacts, website].filter((line) => line !== '');
}

export interface TitleBox {
  /** "REÇU", "FACTURE". */
  title: string;
  /** "N° HV1-000123". */
  number: string;
  /** Smaller lines under the number ("du 12/10/2026 à 10:42"). */
  lines: string[];
}

/** Logo and town on the left, the document's title box on the right. */
export function letterhead(town: TownLetterhead, box: TitleBox): PdfContent {
  return {
    columns: [
      { ...(logoContent(town) as Record<string, unknown>), width: 56 },
      {
        width: '*',
        margin: [12, 2, 8, 0],
        stack: [
          { text: town.name, style: 'townName' },
          ...(town.serviceName ? [{ text: town.serviceName, style: 'townService' }] : []),
          ...(town.regie ? [{ text: town.regie, style: 'townService' }] : []),
          ...townContactLines(town).map((line) => ({ text: line, style: 'townContact' })),
        ],
      },
      {
        width: 190,
        table: {
          widths: ['*'],
          body: [
            [
              {
                stack: [
                  { text: box.title, style: 'boxTitle' },
                  { text: box.number, style: 'boxNumber' },
                  ...box.lines.map((line) => ({ text: line, style: 'boxLine' })),
                ],
                fillColor: FILL,
                margin: [10, 8, 10, 8],
              },
            ],
          ],
        },
        layout: {
          hLineColor: () => PRIMARY,
          vLineColor: () => PRIMARY,
          hLineWidth: () => 1,
          vLineWidth: () => 1,
        },
      },
    ],
    columnGap: 0,
  };
}

/** A labelled block ("Famille", "Encaissé par") in a thin frame. */
export function framedBlock(label: string, lines: PdfContent[], width: number | string = '*'): PdfContent {
  return {
    width,
    table: {
      widths: ['*'],
      body: [[{ stack: [{ text: label, style: 'blockLabel' }, ...lines], margin: [8, 6, 8, 6] }]],
    },
    layout: {
      hLineColor: () => RULE,
      vLineColor: () => RULE,
      hLineWidth: () => 0.8,
      vLineWidth: () => 0.8,
    },
  };
}

/** Thin horizontal rules between rows, a blue line under the header row, no vertical rules. */
export const TABLE_LAYOUT = {
  hLineWidth: (i: number, node: { table: { body: unknown[] } }) =>
    i === 0 || i === node.table.body.length ? 0 : i === 1 ? 1 : 0.5,
  vLineWidth: () => 0,
  hLineColor: (i: number) => (i === 1 ? PRIMARY : RULE),
  paddingLeft: () => 6,
  paddingRight: () => 6,
  paddingTop: () => 3,
  paddingBottom: () => 3,
};

export const STYLES = {
  townName: { fontSize: 14, bold: true, color: PRIMARY },
  townService: { fontSize: 9.5, color: '#1b1f24' },
  townContact: { fontSize: 8.5, color: MUTED },
  boxTitle: { fontSize: 13, bold: true, color: PRIMARY, characterSpacing: 1 },
  boxNumber: { fontSize: 11, bold: true, margin: [0, 2, 0, 2] },
  boxLine: { fontSize: 9, color: MUTED },
  blockLabel: { fontSize: 8, bold: true, color: MUTED, margin: [0, 0, 0, 3] },
  strong: { bold: true },
  sectionTitle: { fontSize: 10.5, bold: true, color: PRIMARY, margin: [0, 14, 0, 6] },
  tableHeader: { fontSize: 8.5, bold: true, color: MUTED },
  small: { fontSize: 8.5, color: MUTED },
  note: { fontSize: 8.5, color: MUTED, italics: true },
};

/** Régie mention, print time and page numbers at the bottom of every page. */
export function footer(town: TownLetterhead, printedAt: string): PdfDocument['footer'] {
  const mention = [town.regie ?? 'Régie de recettes', town.name].join(' — ');
  return (currentPage: number, pageCount: number): PdfContent => ({
    margin: [40, 10, 40, 0],
    columns: [
      { text: `${mention}. Document édité le ${printedAt}.`, style: 'small', width: '*' },
      { text: `Page ${currentPage} / ${pageCount}`, style: 'small', alignment: 'right', width: 60 },
    ],
  });
}

/** A4 portrait, the shared styles, the footer; `title` goes into the PDF's metadata. */
export function documentOf(
  town: TownLetterhead,
  { title, printedAt, content }: { title: string; printedAt: string; content: PdfContent[] },
): PdfDocument {
  return {
    info: { title, author: town.name, subject: title, creator: 'Guichet Famille' },
    pageMargins: [40, 36, 40, 50],
    styles: STYLES,
    footer: footer(town, printedAt),
    content,
  };
}

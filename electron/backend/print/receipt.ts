// The receipt (reçu) of a payment taken at the counter, or of its reversal: number and date, the family, the
// amount in figures and words, the mode and its reference, what went to which invoice (the rest is credit),
// the agent and the desk.
import { formatShortDateTimeFr, formatShortFr, parisDay } from '../../../core/calendar/paris';
import type { CashierHousehold, CashierPaymentRow } from '../../../db/repositories/cashier';
import type { TownLetterhead } from '../../../db/repositories/town-letterhead';
import { euroAmountInWordsCapitalized } from './amount-words';
import {
  FILL,
  PRIMARY,
  TABLE_LAYOUT,
  documentOf,
  euros,
  framedBlock,
  letterhead,
  paymentModeText,
  paymentReferenceText,
} from './layout';
import type { PdfContent, PdfDocument } from './render-pdf';

export interface ReceiptData {
  town: TownLetterhead;
  household: CashierHousehold;
  /** The payment (or reversal) the receipt is for; it has a receipt number. */
  payment: CashierPaymentRow & { receiptNumber: string };
  /** For a reversal: the payment it cancels, and why. */
  reversal: { original: CashierPaymentRow; reason: string | null } | null;
  printedAt: Date;
}

function allocationTable(payment: CashierPaymentRow): PdfContent {
  const sign = payment.amountCents < 0 ? -1 : 1;
  const allocated = payment.allocations.reduce((sum, a) => sum + a.amountCents, 0);
  const unallocated = payment.amountCents - allocated;
  const rows: PdfContent[] = payment.allocations.map((a) => [
    { text: a.invoiceNumber ?? '—' },
    { text: a.invoiceLabel },
    { text: euros(a.amountCents), alignment: 'right', noWrap: true },
  ]);
  if (unallocated * sign > 0) {
    rows.push([
      { text: '—' },
      {
        text:
          sign > 0
            ? 'Non affecté : porté à l’avoir de la famille'
            : 'Avoir de la famille (part non affectée du paiement annulé)',
        italics: true,
      },
      { text: euros(unallocated), alignment: 'right', noWrap: true },
    ]);
  }
  return {
    table: {
      headerRows: 1,
      widths: [90, '*', 90],
      body: [
        [
          { text: 'Facture n°', style: 'tableHeader' },
          { text: 'Période', style: 'tableHeader' },
          { text: 'Montant', style: 'tableHeader', alignment: 'right' },
        ],
        ...rows,
        [
          { text: 'Total', bold: true },
          { text: '' },
          { text: euros(payment.amountCents), bold: true, alignment: 'right', noWrap: true },
        ],
      ],
    },
    layout: TABLE_LAYOUT,
  };
}

export function buildReceipt(data: ReceiptData): PdfDocument {
  const { town, household, payment, reversal } = data;
  const isReversal = reversal !== null;
  const received = formatShortDateTimeFr(payment.receivedAt);
  const reference = paymentReferenceText(payment);
  const title = `Reçu n° ${payment.receiptNumber}`;

  const familyLines: PdfContent[] = [
    { text: household.titulaireFormal || household.titulaire, bold: true },
    ...household.addressLines.map((line) => ({ text: line })),
    { text: `Dossier famille ${household.code}`, style: 'small', margin: [0, 3, 0, 0] },
  ];
  const cashierLines: PdfContent[] = [
    { text: payment.agentName ?? '—', bold: true },
    { text: payment.deskName ? `Poste : ${payment.deskName}` : 'Poste : —' },
    { text: `Le ${received}`, style: 'small', margin: [0, 3, 0, 0] },
  ];

  const amountBox: PdfContent = {
    table: {
      widths: ['*'],
      body: [
        [
          {
            fillColor: FILL,
            margin: [10, 8, 10, 8],
            stack: [
              {
                columns: [
                  {
                    text: isReversal ? 'Montant annulé' : 'Montant reçu',
                    bold: true,
                    fontSize: 11,
                    width: '*',
                  },
                  {
                    text: euros(payment.amountCents),
                    bold: true,
                    fontSize: 16,
                    color: PRIMARY,
                    alignment: 'right',
                    width: 'auto',
                    noWrap: true,
                  },
                ],
              },
              {
                text: `Soit : ${euroAmountInWordsCapitalized(Math.abs(payment.amountCents))}.`,
                italics: true,
                margin: [0, 4, 0, 0],
              },
              {
                margin: [0, 6, 0, 0],
                text: [
                  { text: 'Mode de paiement : ', bold: true },
                  paymentModeText(payment.mode),
                  ...(reference ? [` — ${reference}`] : []),
                ],
              },
            ],
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
    margin: [0, 14, 0, 0],
  };

  const content: PdfContent[] = [
    letterhead(town, {
      title: isReversal ? 'REÇU D’ANNULATION' : 'REÇU',
      number: `N° ${payment.receiptNumber}`,
      lines: [`du ${received}`, `Régie de recettes`],
    }),
    {
      margin: [0, 18, 0, 0],
      columns: [
        framedBlock(isReversal ? 'FAMILLE' : 'REÇU DE', familyLines),
        { width: 14, text: '' },
        framedBlock(isReversal ? 'ANNULÉ PAR' : 'ENCAISSÉ PAR', cashierLines, 190),
      ],
    },
    amountBox,
  ];

  if (reversal) {
    const original = reversal.original;
    content.push({
      margin: [0, 12, 0, 0],
      text: [
        { text: 'Annule le paiement ', bold: true },
        `reçu n° ${original.receiptNumber ?? '—'} du ${formatShortFr(parisDay(original.receivedAt))} ` +
          `(${paymentModeText(original.mode)}, ${euros(original.amountCents)}).`,
        ...(reversal.reason ? [{ text: ` Motif : ${reversal.reason.replace(/\.?$/, '.')}` }] : []),
      ],
    });
  }

  content.push(
    { text: isReversal ? 'Affectation annulée' : 'Affectation aux factures', style: 'sectionTitle' },
    allocationTable(payment),
    {
      margin: [0, 22, 0, 0],
      columns: [
        {
          width: '*',
          stack: [
            {
              text: isReversal
                ? 'Ce reçu atteste l’annulation du paiement indiqué ci-dessus ; les factures concernées sont à nouveau dues pour les montants annulés.'
                : 'Ce reçu atteste le paiement des sommes indiquées ci-dessus. Conservez-le : il vous sera demandé en cas de réclamation.',
              style: 'note',
            },
          ],
        },
        {
          width: 170,
          stack: [
            { text: 'Le régisseur ou son mandataire', style: 'small', alignment: 'center' },
            { text: payment.agentName ?? '', alignment: 'center', margin: [0, 28, 0, 0], bold: true },
          ],
        },
      ],
    },
  );

  return documentOf(town, { title, printedAt: formatShortDateTimeFr(data.printedAt), content });
}

// The letter that opens a family's web space, as the towns of the seeds mail it: the family's identifiant
// (its file number) and a single-use "Clé Espace Citoyens Enfance", with the steps of "Créer mon espace".
// The clear key appears in this document only; the desk and the server keep its hash.
import { formatDayFr, formatShortFr, parisDay } from '../../../core/calendar/paris';
import { formatPhone } from '../../../core/validation/phone';
import type { TownLetterhead } from '../../../db/repositories/town-letterhead';
import { FILL, MUTED, PRIMARY, STYLES, letterhead, townContactLines } from './layout';
import type { PdfContent, PdfDocument } from './render-pdf';

export interface AccessLetterInput {
  town: TownLetterhead;
  /** "F-000123": what the parent types as identifiant. */
  identifiant: string;
  /** "18456-N7QBHES". */
  key: string;
  /** "Madame Hélène BÉCASSINES". */
  addressee: string;
  /** Postal address lines of the family. */
  address: string[];
  /** "Madame", "Monsieur", "Madame, Monsieur". */
  salutation: string;
  issuedAt: string;
  expiresAt: string;
}

/** The portal's place as parents find it: the town's website, else its name. */
function portalPlace(town: TownLetterhead): string {
  const site = town.website?.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return site ? `le site de la ville ${site}` : `le site de la ${town.name}`;
}

function credentialsBox(input: AccessLetterInput): PdfContent {
  const row = (label: string, value: string): PdfContent[] => [
    { text: label, style: 'credLabel' },
    { text: value, style: 'credValue' },
  ];
  return {
    margin: [0, 12, 0, 4],
    table: {
      widths: [170, '*'],
      body: [
        row('Identifiant famille', input.identifiant),
        row('Clé Espace Citoyens Enfance', input.key),
        [
          { text: 'Valable jusqu’au', style: 'credLabel' },
          {
            text: `${formatShortFr(parisDay(input.expiresAt))} — utilisable une seule fois`,
            style: 'credNote',
          },
        ],
      ],
    },
    layout: {
      fillColor: () => FILL,
      hLineColor: () => PRIMARY,
      vLineColor: () => PRIMARY,
      hLineWidth: (i: number, node: { table: { body: unknown[] } }) =>
        i === 0 || i === node.table.body.length ? 1.2 : 0,
      vLineWidth: (i: number) => (i === 0 || i === 2 ? 1.2 : 0),
      paddingLeft: () => 12,
      paddingRight: () => 12,
      paddingTop: (i: number) => (i === 0 ? 10 : 4),
      paddingBottom: (i: number, node: { table: { body: unknown[] } }) =>
        i === node.table.body.length - 1 ? 10 : 4,
    },
  };
}

function steps(input: AccessLetterInput): PdfContent {
  const items = [
    `Rendez-vous sur ${portalPlace(input.town)}, rubrique « Espace Famille ».`,
    'Cliquez sur « JE N’AI PAS D’ESPACE » puis sur « Créer mon espace ».',
    'Renseignez votre identité, votre adresse et vos moyens de contact, puis choisissez votre nom d’utilisateur et votre mot de passe (au moins 8 caractères dont 1 majuscule, 1 minuscule et 1 chiffre).',
    'À l’étape « Services », saisissez votre identifiant famille et votre clé d’accès : votre espace est alors relié au dossier de votre famille.',
    'Vous recevrez un courriel avec un lien pour mettre en service votre espace personnel.',
  ];
  return { ol: items, margin: [0, 4, 0, 0], style: 'body' };
}

export function buildAccessLetter(input: AccessLetterInput): PdfDocument {
  const { town } = input;
  const today = parisDay(input.issuedAt);
  const service = town.serviceName ?? 'le service Enfance';
  const contacts = townContactLines(town);
  const help = [town.servicePhone ?? (town.phone ? formatPhone(town.phone) : null), town.email].filter(
    Boolean,
  );
  return {
    info: {
      title: `Accès à l'Espace Famille — ${input.identifiant}`,
      author: town.name,
      subject: 'Lettre d’accès au portail Espace Famille',
      creator: 'Guichet Famille',
    },
    pageMargins: [50, 40, 50, 56],
    styles: {
      ...STYLES,
      body: { fontSize: 10, lineHeight: 1.2 },
      object: { fontSize: 10.5, bold: true, margin: [0, 0, 0, 8] },
      addressee: { fontSize: 10.5, lineHeight: 1.2 },
      credLabel: { fontSize: 10, color: MUTED, margin: [0, 3, 0, 0] },
      credValue: { fontSize: 17, bold: true, color: PRIMARY },
      credNote: { fontSize: 10, margin: [0, 3, 0, 0] },
      warning: { fontSize: 9.5, color: '#1b1f24', lineHeight: 1.2 },
    },
    footer: (): PdfContent => ({
      margin: [50, 14, 50, 0],
      text: `${town.name}${contacts[0] ? ` — ${contacts[0]}` : ''}. Courrier édité le ${formatShortFr(today)}.`,
      style: 'small',
    }),
    content: [
      letterhead(town, {
        title: 'ESPACE FAMILLE',
        number: `Dossier ${input.identifiant}`,
        lines: [`Courrier du ${formatShortFr(today)}`],
      }),
      {
        margin: [270, 26, 0, 24],
        stack: [
          { text: input.addressee, bold: true, style: 'addressee' },
          ...input.address.map((l) => ({ text: l, style: 'addressee' })),
        ],
      },
      {
        text: `${town.city ?? town.name}, le ${formatDayFr(today).replace(/^\S+ /, '')}`,
        alignment: 'right',
        style: 'body',
        margin: [0, 0, 0, 14],
      },
      { text: 'Objet : votre accès à l’Espace Famille en ligne', style: 'object' },
      { text: `${input.salutation},`, style: 'body', margin: [0, 0, 0, 8] },
      {
        text: [
          'Votre famille est connue de nos services. Vous pouvez désormais effectuer vos démarches en ligne, 7 j / 7 et 24 h / 24 : ',
          'consulter et payer vos factures, réserver les activités de vos enfants, signaler une absence, suivre vos demandes ',
          'et déposer vos pièces justificatives.',
        ],
        style: 'body',
      },
      {
        text: 'Pour créer votre espace personnel, voici l’identifiant et la clé d’accès qui vous sont attribués :',
        style: 'body',
        margin: [0, 8, 0, 0],
      },
      credentialsBox(input),
      { text: 'Pour créer votre espace', style: 'sectionTitle' },
      steps(input),
      {
        margin: [0, 14, 0, 0],
        table: {
          widths: ['*'],
          body: [
            [
              {
                text: [
                  { text: 'Important. ', bold: true },
                  'Cette clé est personnelle et ne sert qu’une seule fois. Si elle a expiré ou si vous l’avez égarée, ',
                  'demandez une nouvelle lettre à l’accueil : la clé précédente sera alors désactivée. ',
                  'Nos services ne vous demanderont jamais cette clé par téléphone ni par courriel.',
                ],
                style: 'warning',
                margin: [8, 6, 8, 6],
              },
            ],
          ],
        },
        layout: {
          hLineColor: () => '#c9d1db',
          vLineColor: () => '#c9d1db',
          hLineWidth: () => 0.8,
          vLineWidth: () => 0.8,
        },
      },
      {
        text: `Une question ou une difficulté pour créer votre espace ? Contactez ${service}${help.length ? ` (${help.join(' — ')})` : ''}.`,
        style: 'body',
        margin: [0, 14, 0, 0],
      },
      {
        text: 'Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.',
        style: 'body',
        margin: [0, 10, 0, 0],
      },
      {
        text: town.serviceName ?? town.name,
        style: 'body',
        bold: true,
        alignment: 'right',
        margin: [0, 18, 0, 0],
      },
    ],
  };
}

/**
 * The flags at the top of a family file: what an agent must see before anything else (an unpaid balance, a
 * PAI, no valid QF so the highest tariff applies, pieces missing or expired, a file not yet numbered by the
 * server…). Pure: the caller gathers the facts.
 */
import { formatEuros } from '../money';

export type FlagSeverity = 'error' | 'warning' | 'info';

export interface FamilyFlag {
  code: string;
  severity: FlagSeverity;
  label: string;
}

export interface FlagFacts {
  codeProvisional: boolean;
  pendingOps: number;
  balanceCents: number;
  qfValid: boolean;
  pai: string[];
  allergies: string[];
  piecesMissing: number;
  piecesExpired: number;
  piecesExpiring: number;
  openDemandes: number;
  unreadMessages: number;
  titulaireReachable: boolean;
  webAccount: boolean;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n > 1 ? many : one}`;

export function familyFlags(f: FlagFacts): FamilyFlag[] {
  const flags: FamilyFlag[] = [];
  if (f.codeProvisional)
    flags.push({
      code: 'CODE_PROVISIONAL',
      severity: 'info',
      label: 'N° de dossier provisoire : attribué par le serveur à la prochaine synchronisation',
    });
  else if (f.pendingOps > 0)
    flags.push({
      code: 'PENDING',
      severity: 'info',
      label: `${plural(f.pendingOps, 'modification', 'modifications')} en attente de synchronisation`,
    });
  if (f.balanceCents > 0)
    flags.push({
      code: 'UNPAID',
      severity: 'error',
      label: `Reste à payer : ${formatEuros(f.balanceCents)}`,
    });
  else if (f.balanceCents < 0)
    flags.push({ code: 'CREDIT', severity: 'info', label: `Avoir : ${formatEuros(-f.balanceCents)}` });
  for (const who of f.pai) flags.push({ code: 'PAI', severity: 'error', label: `PAI : ${who}` });
  if (f.allergies.length > 0)
    flags.push({ code: 'ALLERGY', severity: 'warning', label: `Allergie : ${f.allergies.join(', ')}` });
  if (!f.qfValid)
    flags.push({
      code: 'NO_QF',
      severity: 'warning',
      label: 'Pas de QF valide : tarif de la tranche la plus haute',
    });
  if (f.piecesMissing > 0)
    flags.push({
      code: 'PIECES_MISSING',
      severity: 'warning',
      label: `${plural(f.piecesMissing, 'pièce manquante', 'pièces manquantes')}`,
    });
  if (f.piecesExpired > 0)
    flags.push({
      code: 'PIECES_EXPIRED',
      severity: 'warning',
      label: `${plural(f.piecesExpired, 'pièce expirée', 'pièces expirées')}`,
    });
  if (f.piecesExpiring > 0)
    flags.push({
      code: 'PIECES_EXPIRING',
      severity: 'info',
      label: `${plural(f.piecesExpiring, 'pièce expire', 'pièces expirent')} bientôt`,
    });
  if (f.openDemandes > 0)
    flags.push({
      code: 'DEMANDES',
      severity: 'info',
      label: `${plural(f.openDemandes, 'demande en cours', 'demandes en cours')}`,
    });
  if (f.unreadMessages > 0)
    flags.push({
      code: 'MESSAGES',
      severity: 'info',
      label: `${plural(f.unreadMessages, 'message non lu', 'messages non lus')}`,
    });
  if (!f.titulaireReachable)
    flags.push({
      code: 'NO_CONTACT',
      severity: 'warning',
      label: 'Aucun téléphone ni courriel pour le titulaire',
    });
  if (!f.webAccount) flags.push({ code: 'NO_WEB_ACCOUNT', severity: 'info', label: 'Pas d’espace en ligne' });
  return flags;
}

/**
 * Absences (*Signaler une absence*): the date shortcuts of the towns' portals (Aujourd'hui, Hier, Demain,
 * Cette semaine…), the motifs the règlements intérieurs name, and what an absence does to the child's
 * bookings: in time it cancels them (nothing is charged); past the deadline the booking stays and the charge
 * is cancelled only for a justified absence — a cas de force majeure with its justificatif (certificat
 * médical…) — when the agent decides so.
 */
import { addDays, weekday } from '../calendar/paris';
import type { IsoDay } from '../calendar/paris';
import { err, ok } from '../errors';
import type { Result } from '../errors';

export const ABSENCE_SHORTCUTS = [
  'aujourdhui',
  'hier',
  'demain',
  'cette_semaine',
  'semaine_derniere',
  'semaine_prochaine',
  'ce_mois',
  'mois_dernier',
  'mois_prochain',
] as const;
export type AbsenceShortcut = (typeof ABSENCE_SHORTCUTS)[number];

/** As on the portal's « Dates d'absence » list (then « Le… » and « Du… au… » for a chosen date). */
export const ABSENCE_SHORTCUT_LABELS: Readonly<Record<AbsenceShortcut, string>> = {
  aujourdhui: "Aujourd'hui",
  hier: 'Hier',
  demain: 'Demain',
  cette_semaine: 'Cette semaine',
  semaine_derniere: 'La semaine dernière',
  semaine_prochaine: 'La semaine prochaine',
  ce_mois: 'Ce mois-ci',
  mois_dernier: 'Le mois dernier',
  mois_prochain: 'Le mois prochain',
};

function monthStart(day: IsoDay): IsoDay {
  return `${day.slice(0, 8)}01`;
}

function monthEnd(day: IsoDay): IsoDay {
  return addDays(monthStart(addDays(monthStart(day), 32)), -1);
}

/** The days a shortcut means, seen from `today` (weeks run Monday to Sunday). */
export function shortcutRange(shortcut: AbsenceShortcut, today: IsoDay): { from: IsoDay; to: IsoDay } {
  const monday = addDays(today, 1 - weekday(today));
  switch (shortcut) {
    case 'aujourdhui':
      return { from: today, to: today };
    case 'hier':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'demain':
      return { from: addDays(today, 1), to: addDays(today, 1) };
    case 'cette_semaine':
      return { from: monday, to: addDays(monday, 6) };
    case 'semaine_derniere':
      return { from: addDays(monday, -7), to: addDays(monday, -1) };
    case 'semaine_prochaine':
      return { from: addDays(monday, 7), to: addDays(monday, 13) };
    case 'ce_mois':
      return { from: monthStart(today), to: monthEnd(today) };
    case 'mois_dernier': {
      const last = addDays(monthStart(today), -1);
      return { from: monthStart(last), to: last };
    }
    case 'mois_prochain': {
      const next = addDays(monthEnd(today), 1);
      return { from: next, to: monthEnd(next) };
    }
  }
}

/** Motifs the règlements intérieurs name (Tarnos): the first ones are cas de force majeure. */
export const ABSENCE_MOTIFS = [
  {
    code: 'maladie_enfant',
    label: "Maladie de l'enfant",
    justificatif: 'Certificat médical',
    forceMajeure: true,
  },
  {
    code: 'maladie_fratrie',
    label: "Maladie d'un frère ou d'une sœur",
    justificatif: 'Certificat médical',
    forceMajeure: true,
  },
  { code: 'deces', label: 'Décès dans la famille', justificatif: 'Certificat de décès', forceMajeure: true },
  { code: 'derogation', label: 'Dérogation', justificatif: 'Dérogation', forceMajeure: true },
  { code: 'absence_enseignant', label: "Absence de l'enseignant", justificatif: null, forceMajeure: true },
  { code: 'convenance', label: 'Convenance personnelle', justificatif: null, forceMajeure: false },
] as const;

export interface AbsenceDecisionInput {
  from: IsoDay;
  to: IsoDay;
  /** The agent's judgement that the absence is a cas de force majeure. */
  justified: boolean;
  /** The agent asks that the charge of the days past the deadline be cancelled. */
  chargeCancelled: boolean;
  /** A justificatif (document) is attached. */
  hasJustificatif: boolean;
  comment: string | null;
}

/** Checks an absence an agent records; the error says what to fix, in French. */
export function checkAbsence(
  input: AbsenceDecisionInput,
): Result<{ justified: boolean; chargeCancelled: boolean }> {
  if (input.to < input.from) {
    return err('ABSENCE_DATES_INVALID', "La date de fin de l'absence est avant sa date de début.");
  }
  if (input.chargeCancelled && !input.justified) {
    return err(
      'ABSENCE_NOT_JUSTIFIED',
      "La facturation n'est annulée que pour une absence justifiée (cas de force majeure).",
    );
  }
  if (input.justified && !input.hasJustificatif && (input.comment ?? '').trim() === '') {
    return err(
      'ABSENCE_JUSTIFICATIF_REQUIRED',
      "Une absence justifiée demande un justificatif (certificat médical…) ou, à défaut, un commentaire qui l'explique.",
    );
  }
  return ok({ justified: input.justified, chargeCancelled: input.chargeCancelled });
}

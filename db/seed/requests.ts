// Parents' other démarches (facture en ligne, coordonnées, QF…) and the message
// threads ("Échanges à lire") between families and the town's services.
import type { DemandeStatus } from '../schema';
import type { TownAccounts } from './accounts';
import type { SeedContext } from './context';
import type { DemandeBook } from './demande-book';
import type { HouseholdInfo } from './households';
import type { Rng } from './rng';
import type { TownPeople } from './town';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

interface ThreadTemplate {
  service: 'enfance' | 'restauration' | 'regie';
  subject: string;
  /** Messages in order; `{enfant}` is replaced by a child's first name. */
  messages: readonly (readonly ['citoyen' | 'agent', string])[];
}

const THREADS: readonly ThreadTemplate[] = [
  {
    service: 'enfance',
    subject: 'Sortie de mercredi prochain',
    messages: [
      [
        'citoyen',
        'Bonjour, {enfant} pourra-t-il/elle participer à la sortie à la ferme pédagogique mercredi prochain ? Faut-il prévoir un pique-nique ?',
      ],
      [
        'agent',
        'Bonjour, oui, {enfant} est bien inscrit(e). Le pique-nique est fourni par le restaurant scolaire : prévoyez une casquette et une gourde. Bonne journée, le Pôle Enfance Jeunesse.',
      ],
    ],
  },
  {
    service: 'regie',
    subject: 'Question sur ma facture',
    messages: [
      [
        'citoyen',
        'Bonjour, je vois un repas majoré sur ma dernière facture alors que {enfant} était inscrit(e). Pouvez-vous vérifier ?',
      ],
      [
        'agent',
        'Bonjour, après vérification, ce repas a été pris sans réservation (jour non coché dans le planning) : il est facturé avec la majoration de 30 % prévue au règlement. Cordialement, la Régie unique.',
      ],
      ['citoyen', "Merci pour votre réponse, je ferai attention à cocher les jours à l'avance."],
    ],
  },
  {
    service: 'restauration',
    subject: 'Repas sans viande',
    messages: [
      [
        'citoyen',
        'Bonjour, nous souhaitons que {enfant} mange sans viande à partir du mois prochain. Comment faire ?',
      ],
      [
        'agent',
        'Bonjour, nous avons noté le régime sans viande dans la fiche de {enfant}. Pour l’ALSH, cochez « Repas-SV » au lieu de « Repas-AV » lors des réservations.',
      ],
    ],
  },
  {
    service: 'enfance',
    subject: 'Attestation de présence',
    messages: [
      [
        'citoyen',
        "Bonjour, pourriez-vous m'envoyer une attestation de présence de {enfant} à l'accueil de loisirs pour mon employeur (CE) ?",
      ],
    ],
  },
  {
    service: 'regie',
    subject: 'Paiement en chèques vacances',
    messages: [
      ['citoyen', 'Bonjour, est-il possible de régler les vacances de {enfant} en chèques vacances ANCV ?'],
      [
        'agent',
        "Bonjour, oui : les chèques vacances ANCV et les CESU sont acceptés à l'accueil de l'Hôtel de Ville, aux heures d'ouverture. Pensez à apporter votre facture.",
      ],
    ],
  },
];

export function seedRequests(
  ctx: SeedContext,
  households: readonly HouseholdInfo[],
  accounts: TownAccounts,
  demandes: DemandeBook,
  staff: TownPeople,
): void {
  const rng = ctx.root.fork('requests');
  for (const h of households) {
    const accountId = accounts.byHousehold.get(h.index) ?? null;
    const rolls = [rng.float(), rng.float(), rng.float(), rng.float(), rng.float()];
    if (!accountId) continue;
    const base = { householdId: h.id, requesterPersonId: h.titulaireId, requesterAccountId: accountId };
    const pastMs = (maxDays: number) => ctx.nowMs - rng.int(1, maxDays) * DAY_MS - rng.int(1, 10) * HOUR_MS;

    if (h.paperless && (h.index === 0 || rolls[0]! < 0.4)) {
      const at = pastMs(300);
      demandes.add({
        ...base,
        type: 'facture_en_ligne',
        subject: 'Adhésion à la facture en ligne',
        payload: { service: 'Enfance', adhesion: true },
        assignedAgentId: null,
        createdMs: at,
        then: [
          {
            status: 'traitee_positivement',
            actorKind: 'systeme',
            actorId: null,
            atMs: at + 60_000,
            comment: null,
          },
        ],
      });
    }
    if (h.index === 1 || rolls[1]! < 0.04) {
      const at = pastMs(h.index === 1 ? 3 : 40);
      demandes.add({
        ...base,
        type: 'qf',
        subject: 'Mise à jour du quotient familial',
        payload: { source: 'caf', valeur: 612 + rng.int(0, 400), annee: Number(ctx.today.slice(0, 4)) },
        assignedAgentId: null,
        createdMs: at,
        then: steps(
          rng,
          at,
          h.index === 1 ? 'en_attente' : rng.pick(['en_attente', 'en_cours', 'traitee_positivement']),
          staff,
          'Quotient familial mis à jour.',
          ctx.nowMs,
        ),
      });
    }
    if (rolls[2]! < 0.03) {
      const kind = rng.pick(['adresse', 'telephone', 'courriel'] as const);
      const at = pastMs(40);
      demandes.add({
        ...base,
        type: 'coordonnees',
        subject:
          kind === 'adresse'
            ? "Changement d'adresse"
            : kind === 'telephone'
              ? 'Changement de téléphone'
              : 'Changement de courriel',
        payload:
          kind === 'adresse'
            ? {
                numero: String(rng.int(1, 80)),
                voie: 'rue des Tilleuls',
                code_postal: '49170',
                ville: 'Saint-Aubin-sur-Loire',
              }
            : kind === 'telephone'
              ? { mobile: `+33${rng.pick(['6', '7'])}${rng.chars('0123456789', 8)}` }
              : { courriel: `nouvelle.adresse.${h.code.toLowerCase()}@orange.fr` },
        assignedAgentId: null,
        createdMs: at,
        then: steps(
          rng,
          at,
          rng.pick(['en_attente', 'en_attente', 'en_cours', 'traitee_positivement']),
          staff,
          'Coordonnées mises à jour dans votre dossier.',
          ctx.nowMs,
        ),
      });
    }
    if (rolls[3]! < 0.01) {
      const at = pastMs(60);
      demandes.add({
        ...base,
        type: 'autre',
        subject: 'Attestation de paiement pour la déclaration d’impôts (frais de garde)',
        payload: { annee: Number(ctx.today.slice(0, 4)) - 1 },
        assignedAgentId: null,
        createdMs: at,
        then: steps(
          rng,
          at,
          rng.pick(['en_cours', 'traitee_positivement']),
          staff,
          'Attestation envoyée par courriel.',
          ctx.nowMs,
        ),
      });
    }
    if (h.children.length > 0 && (h.index === 0 || rolls[4]! < 0.07))
      seedThreads(ctx, rng, h, staff, h.index === 0 ? 2 : 1, accountId);
  }
}

function steps(
  rng: Rng,
  at: number,
  final: DemandeStatus,
  staff: TownPeople,
  doneComment: string,
  nowMs: number,
) {
  const out: {
    status: DemandeStatus;
    actorKind: 'agent';
    actorId: string;
    atMs: number;
    comment: string | null;
  }[] = [];
  if (final === 'en_attente') return out;
  const agent = staff.accueil.id;
  const taken = at + rng.int(2, 48) * HOUR_MS;
  out.push({
    status: 'en_cours',
    actorKind: 'agent',
    actorId: agent,
    atMs: taken,
    comment: 'Pris en charge.',
  });
  if (final === 'traitee_positivement')
    out.push({
      status: final,
      actorKind: 'agent',
      actorId: agent,
      atMs: taken + rng.int(1, 30) * HOUR_MS,
      comment: doneComment,
    });
  return out.filter((e) => e.atMs < nowMs);
}

function seedThreads(
  ctx: SeedContext,
  rng: Rng,
  h: HouseholdInfo,
  staff: TownPeople,
  count: number,
  accountId: string,
): void {
  const templates = h.index === 0 ? [THREADS[0]!, THREADS[1]!] : rng.sample(THREADS, count);
  for (const t of templates) {
    const child = rng.pick(h.children).firstName;
    const startMs = ctx.nowMs - rng.int(2, 45) * DAY_MS - rng.int(0, 8) * HOUR_MS;
    const threadId = ctx.id();
    let ms = startMs;
    const rows = t.messages.map(([author, text], i) => {
      if (i > 0) ms = Math.min(ctx.nowMs - HOUR_MS, ms + rng.int(2, 40) * HOUR_MS);
      return { author, body: text.replaceAll('{enfant}', child), ms };
    });
    const lastIndex = rows.length - 1;
    // The last message is unread by its recipient half of the time (always for the demo family).
    const lastUnread = h.index === 0 || rng.chance(0.5);
    const lastAuthor = rows[lastIndex]!.author;
    const firstAt = ctx.iso(startMs);
    const lastAt = ctx.iso(rows[lastIndex]!.ms);
    ctx.insert('message_threads', {
      id: threadId,
      household_id: h.id,
      demande_id: null,
      service: t.service,
      subject: t.subject,
      unread_household: lastUnread && lastAuthor === 'agent' ? 1 : 0,
      unread_agents: lastUnread && lastAuthor === 'citoyen' ? 1 : 0,
      last_message_at: lastAt,
      created_at: firstAt,
      updated_at: lastAt,
    });
    for (const [i, m] of rows.entries()) {
      const unread = i === lastIndex && lastUnread;
      const readAt = unread ? null : ctx.iso(Math.min(ctx.nowMs - 60_000, m.ms + rng.int(1, 20) * HOUR_MS));
      ctx.insert('messages', {
        id: ctx.id(),
        thread_id: threadId,
        author_kind: m.author,
        author_id:
          m.author === 'agent' ? (t.service === 'regie' ? staff.regie.id : staff.accueil.id) : accountId,
        body: m.body,
        sent_at: ctx.iso(m.ms),
        read_at: readAt,
        updated_at: readAt ?? ctx.iso(m.ms),
      });
    }
  }
}

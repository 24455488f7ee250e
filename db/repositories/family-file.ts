/**
 * The family file on one screen, read from any replica: the household with its members (getHouseholdFile),
 * plus its inscriptions, its balance, its pieces, its demandes and message threads, its web account and the
 * last access key issued (from the audit trail: keys themselves never leave the server).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, InscriptionStatus } from '../schema';
import { getHouseholdFile } from './households';
import type { HouseholdFile } from './households';

export interface FamilyInscriptionRow {
  id: string;
  personId: string;
  activityName: string;
  activityRequiredDocumentsJson: string;
  siteName: string;
  periodLabel: string;
  startDay: string;
  endDay: string;
  status: InscriptionStatus;
}

export interface FamilyMoney {
  /** What issued invoices still owe. */
  openCents: number;
  openInvoices: number;
  /** Payments not allocated to any invoice (the household's credit). */
  creditCents: number;
}

export interface FamilyPieceRow {
  qualification: string;
  personId: string | null;
  validUntil: string | null;
}

export interface FamilyFileData extends HouseholdFile {
  inscriptions: FamilyInscriptionRow[];
  money: FamilyMoney;
  pieces: FamilyPieceRow[];
  demandes: { open: number; total: number };
  messages: { threads: number; unread: number };
  webAccount: { status: string; lastLoginAt: string | null } | null;
  lastAccessKey: { at: string; details: Record<string, unknown> } | null;
}

/** Everything the family file shows; null for an unknown household. */
export async function getFamilyFileData(db: Kysely<Database>, id: string): Promise<FamilyFileData | null> {
  const file = await getHouseholdFile(db, id);
  if (file === null) return null;
  const [inscriptions, invoices, payments, allocations, pieces, demandes, threads, account, key] =
    await Promise.all([
      db
        .selectFrom('inscriptions as i')
        .innerJoin('activities as a', 'a.id', 'i.activity_id')
        .innerJoin('sites as s', 's.id', 'i.site_id')
        .innerJoin('periods as p', 'p.id', 'i.period_id')
        .select([
          'i.id',
          'i.person_id as personId',
          'a.name as activityName',
          'a.required_documents_json as activityRequiredDocumentsJson',
          's.name as siteName',
          'p.label as periodLabel',
          'p.start_day as startDay',
          'p.end_day as endDay',
          'i.status',
        ])
        .where('i.household_id', '=', id)
        .orderBy('p.end_day', 'desc')
        .orderBy('a.position')
        .execute(),
      db
        .selectFrom('invoices')
        .select((eb) => [
          eb.fn.coalesce(eb.fn.sum<number>(sql<number>`total_cents - paid_cents`), sql<number>`0`).as('open'),
          eb.fn.countAll<number>().as('count'),
        ])
        .where('household_id', '=', id)
        .where('status', 'in', ['non_reglee', 'partiellement_reglee'])
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('payments')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('total'))
        .where('household_id', '=', id)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('payment_allocations as pa')
        .innerJoin('payments as p', 'p.id', 'pa.payment_id')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('pa.amount_cents'), sql<number>`0`).as('total'))
        .where('p.household_id', '=', id)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('documents')
        .select(['qualification', 'person_id as personId', 'valid_until as validUntil'])
        .where('household_id', '=', id)
        .where('space', '=', 'famille')
        .execute(),
      db
        .selectFrom('demandes')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn
            .coalesce(
              eb.fn.sum<number>(
                sql<number>`case when status in ('en_attente', 'en_cours') then 1 else 0 end`,
              ),
              sql<number>`0`,
            )
            .as('open'),
        ])
        .where('household_id', '=', id)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('message_threads')
        .select((eb) => [
          eb.fn.countAll<number>().as('threads'),
          eb.fn.coalesce(eb.fn.sum<number>('unread_agents'), sql<number>`0`).as('unread'),
        ])
        .where('household_id', '=', id)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('citizen_accounts')
        .select(['status', 'last_login_at'])
        .where('household_id', '=', id)
        .orderBy(sql`case status when 'actif' then 0 when 'en_attente_activation' then 1 else 2 end`)
        .executeTakeFirst(),
      db
        .selectFrom('audit_log')
        .select(['at', 'details_json'])
        .where('household_id', '=', id)
        .where('action', '=', 'household.issue_access_key')
        .orderBy('at', 'desc')
        .limit(1)
        .executeTakeFirst(),
    ]);
  const unallocated = Number(payments.total) - Number(allocations.total);
  return {
    ...file,
    inscriptions,
    money: {
      openCents: Number(invoices.open),
      openInvoices: Number(invoices.count),
      creditCents: Math.max(0, unallocated),
    },
    pieces,
    demandes: { open: Number(demandes.open), total: Number(demandes.total) },
    messages: { threads: Number(threads.threads), unread: Number(threads.unread) },
    webAccount: account ? { status: account.status, lastLoginAt: account.last_login_at } : null,
    lastAccessKey: key
      ? { at: key.at, details: JSON.parse(key.details_json) as Record<string, unknown> }
      : null,
  };
}

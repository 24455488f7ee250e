// The town itself: its record, sites, school holidays, agents and desk.
import type { SchoolHolidayCode } from '../../core/calendar/school-year';
import type { AgeGroup, AgentRole, SiteKind } from '../schema';
import type { SeedContext } from './context';
import { hashPasswordSync } from './passwords';

export const TOWN = {
  name: 'Ville de Saint-Aubin-sur-Loire',
  city: 'Saint-Aubin-sur-Loire',
  /** Fictional town: an INSEE code no real commune uses. */
  inseeCode: '49999',
  postcode: '49170',
  street: "Place de l'Hôtel de Ville",
  phone: '+33241720000',
  email: 'enfance@saint-aubin-sur-loire.fr',
  website: 'https://www.saint-aubin-sur-loire.fr',
  mailDomain: 'saint-aubin-sur-loire.fr',
} as const;

export const DEMO_PASSWORD = 'Demo2026!';

export interface SiteRef {
  id: string;
  name: string;
  kind: SiteKind;
  /** Age groups this site welcomes. */
  ageGroups: readonly AgeGroup[];
}

export interface TownSites {
  maternelle: SiteRef;
  elementaire: SiteRef;
  restaurant: SiteRef;
}

export interface AgentRef {
  id: string;
  login: string;
  displayName: string;
  role: AgentRole;
}

export interface TownPeople {
  accueil: AgentRef;
  regie: AgentRef;
  admin: AgentRef;
  deskId: string;
  receiptPrefix: string;
}

export function seedTown(ctx: SeedContext): { townId: string; sites: TownSites } {
  const created = ctx.iso(Date.UTC(ctx.startYear - 3, 5, 2, 8, 0, 0));
  const townId = ctx.id();
  ctx.insert('towns', {
    id: townId,
    name: TOWN.name,
    insee_code: TOWN.inseeCode,
    street: TOWN.street,
    postcode: TOWN.postcode,
    city: TOWN.city,
    phone: TOWN.phone,
    email: TOWN.email,
    website: TOWN.website,
    logo_blob_hash: null,
    settings_json: JSON.stringify({
      regie: 'Régie unique Enfance-Jeunesse',
      serviceName: 'Pôle Enfance Jeunesse',
      servicePhone: '02 41 72 00 10',
      schoolHolidaysIllustrative: true,
    }),
    created_at: created,
    updated_at: created,
  });

  const site = (
    name: string,
    kind: SiteKind,
    address: string,
    phone: string,
    ageGroups: AgeGroup[],
  ): SiteRef => {
    const id = ctx.id();
    ctx.insert('sites', {
      id,
      name,
      kind,
      address,
      postcode: TOWN.postcode,
      city: TOWN.city,
      phone,
      active: 1,
      created_at: created,
      updated_at: created,
    });
    return { id, name, kind, ageGroups };
  };
  const sites: TownSites = {
    maternelle: site('ALSH Maternelle Libération', 'maternelle', '2 rue de la Libération', '+33241720021', [
      'maternelle',
    ]),
    elementaire: site('ALSH Jean Jaurès', 'elementaire', '14 avenue Jean Jaurès', '+33241720022', [
      'elementaire',
    ]),
    restaurant: site('Restaurant Félix Concaret', 'restaurant', '5 rue Félix Concaret', '+33241720023', [
      'maternelle',
      'elementaire',
    ]),
  };

  const holidayUpdated = ctx.iso(Date.UTC(ctx.startYear, 5, 15, 9, 0, 0));
  for (const holiday of ctx.holidays) {
    ctx.insert('school_holiday_periods', {
      id: ctx.id(),
      label: `${holiday.label} ${holidayYearLabel(holiday.code, ctx.startYear)} (calendrier indicatif)`,
      code: holiday.code,
      start_day: holiday.start,
      end_day: holiday.end,
      updated_at: holidayUpdated,
    });
  }
  return { townId, sites };
}

function holidayYearLabel(code: SchoolHolidayCode, startYear: number): string {
  if (code === 'toussaint') return String(startYear);
  if (code === 'noel') return `${startYear}-${startYear + 1}`;
  return String(startYear + 1);
}

/** The three agents (one per role) and the town hall's desk. */
export function seedStaff(ctx: SeedContext): TownPeople {
  const rng = ctx.root.fork('staff');
  const created = Date.UTC(ctx.startYear - 1, 8, 1, 7, 30, 0);
  const agent = (login: string, displayName: string, role: AgentRole, hoursAgo: number): AgentRef => {
    const id = ctx.id();
    const at = ctx.iso(created);
    ctx.insert('agents', {
      id,
      login,
      display_name: displayName,
      email: `${login.replace(/^admin$/, 'admin.enfance')}@${TOWN.mailDomain}`,
      password_hash: hashPasswordSync(DEMO_PASSWORD, rng.bytes16()),
      active: 1,
      failed_login_count: 0,
      locked_until: null,
      last_login_at: ctx.iso(ctx.nowMs - hoursAgo * 3_600_000),
      created_at: at,
      updated_at: at,
    });
    ctx.insert('agent_roles', { agent_id: id, role, updated_at: at });
    return { id, login, displayName, role };
  };
  const accueil = agent('agent.accueil', 'Mégane Lefèvre', 'accueil', 15);
  const regie = agent('agent.regie', 'Jérôme Martin', 'regisseur', 16);
  const admin = agent('admin', 'Gaëlle Rousseau', 'administrateur', 40);

  const deskId = ctx.id();
  const deskAt = ctx.iso(created + 86_400_000);
  ctx.insert('desks', {
    id: deskId,
    name: 'Accueil Hôtel de Ville',
    receipt_prefix: 'HV1',
    token_hash: null,
    enrolled_at: null,
    revoked_at: null,
    last_seen_at: null,
    created_at: deskAt,
    updated_at: deskAt,
  });
  return { accueil, regie, admin, deskId, receiptPrefix: 'HV1' };
}

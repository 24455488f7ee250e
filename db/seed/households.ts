// The families of the demo town: households, titulaire / co-titulaire / children /
// entourage, family ties, authorisations, health notes and QF records. Two
// households are fixed (the demo parents' accounts); the rest are drawn.
import {
  householdSearchText,
  householdSortName,
  personSearchText,
} from '../repositories/household-search-text';
import type { AgeGroup, MemberRole, NewRow, QfSource, Residency } from '../schema';
import { seedChildCare, seedQf } from './family-records';
import {
  CLASSES,
  DEMO_PARENT_EMAILS,
  SINGLE_SITUATIONS,
  SITUATIONS,
  demoPlans,
  randomPlan,
} from './household-plans';
import type { ClassLevel } from './household-plans';
import type { SeedContext } from './context';
import { Identities, dayInYear } from './identities';
import { ADULT_FEMALE, ADULT_MALE, BIRTH_PLACES, DOCTORS, SURNAMES } from './names';

export { DEMO_PARENT_EMAILS } from './household-plans';

export interface ChildInfo {
  id: string;
  /** Position among every child of the town. */
  index: number;
  firstName: string;
  ageGroup: AgeGroup;
  /** "Régime sans viande": books Repas-SV at the ALSH. */
  noMeat: boolean;
}

export interface HouseholdInfo {
  id: string;
  index: number;
  code: string;
  residency: Residency;
  titulaireId: string;
  titulaireName: string;
  titulaireFirstName: string;
  email: string;
  coTitulaireId: string | null;
  children: ChildInfo[];
  paperless: boolean;
  /** QF value valid in the previous / the current calendar year (of `today`), or null. */
  qfByYear: Map<number, number>;
  createdMs: number;
}

type PersonRow = NewRow<'persons'> & { id: string };
type MemberDraft = {
  person: PersonRow;
  role: MemberRole;
  position: number;
  relationship: string;
  pickUp: 0 | 1;
  emergency: 0 | 1;
};

export function seedHouseholds(ctx: SeedContext): HouseholdInfo[] {
  const rng = ctx.root.fork('households');
  const ids = new Identities(ctx.root.fork('identities'));
  for (const email of DEMO_PARENT_EMAILS) ids.reserveEmail(email);
  const plans = demoPlans();
  const households: HouseholdInfo[] = [];
  const calendarYear = Number(ctx.today.slice(0, 4));
  const firstCreated = Date.UTC(ctx.startYear - 4, 8, 1, 8);
  const lastCreated = Date.UTC(ctx.startYear, 7, 10, 8);
  let childIndex = 0;

  for (let h = 0; h < ctx.options.families; h++) {
    const plan = h < plans.length ? plans[h]! : randomPlan(rng);
    const createdMs = firstCreated + Math.floor(rng.float() * (lastCreated - firstCreated));
    const at = ctx.iso(createdMs);
    const id = ctx.id();
    const code = `F-${String(h + 1).padStart(6, '0')}`;
    const address =
      plan.address ?? (plan.residency === 'resident' ? ids.townAddress() : ids.outsideAddress());
    const qfSource: QfSource = rng.weighted([
      ['caf', 78],
      ['msa', 5],
      ['avis_imposition', 17],
    ] as const);
    const cafNumber = qfSource === 'caf' ? rng.chars('0123456789', 7) : null;
    const paperless = h === 0 ? true : rng.chance(0.45);
    const eldest = plan.children[0]!;
    const eldestBirthYear = ctx.startYear - 3 - CLASSES.indexOf(eldest.classLevel);

    const adult = (
      firstName: string,
      sex: 'f' | 'm',
      usage: string,
      birth: string,
      email?: string,
    ): PersonRow => {
      const place = rng.pick(BIRTH_PLACES);
      const abroad = rng.chance(0.06);
      const second = rng.chance(0.35) ? rng.pick(sex === 'f' ? ADULT_FEMALE : ADULT_MALE) : firstName;
      return personRow(ctx, {
        civility: sex === 'f' ? 'mme' : 'm',
        usage_last_name: usage,
        birth_last_name: birth,
        first_names: second === firstName ? firstName : `${firstName} ${second}`,
        birth_date: dayInYear(rng, eldestBirthYear - rng.int(20, 38)),
        birth_country: abroad ? rng.pick(['Portugal', 'Maroc', 'Belgique', 'Algérie', 'Sénégal']) : 'France',
        birth_department: abroad ? null : place.departement,
        birth_commune: abroad ? null : place.commune,
        sex,
        phone: rng.chance(0.25) ? ids.landline() : null,
        mobile: ids.mobile(),
        email: email ?? ids.email(firstName, usage),
        preferred_contact: rng.weighted([
          ['mobile', 55],
          ['email', 35],
          ['telephone', 7],
          ['courrier', 3],
        ] as const),
        employer_phone: rng.chance(0.35) ? ids.landline() : null,
        at,
      });
    };

    const titulaire = adult(
      plan.titulaire.firstName,
      plan.titulaire.sex,
      plan.lastName,
      plan.lastName,
      plan.email,
    );
    const drafts: MemberDraft[] = [
      {
        person: titulaire,
        role: 'titulaire',
        position: 0,
        relationship: parentWord(plan.titulaire.sex),
        pickUp: 1,
        emergency: 1,
      },
    ];
    let coTitulaire: PersonRow | null = null;
    if (plan.coTitulaire) {
      const co = plan.coTitulaire;
      const birth = co.sameName ? (co.sex === 'f' ? rng.pick(SURNAMES) : plan.lastName) : rng.pick(SURNAMES);
      const usage = co.sameName ? plan.lastName : birth;
      coTitulaire = adult(co.firstName, co.sex, usage, birth);
      drafts.push({
        person: coTitulaire,
        role: 'co_titulaire',
        position: 0,
        relationship: parentWord(co.sex),
        pickUp: 1,
        emergency: 1,
      });
    }

    const children: ChildInfo[] = [];
    const childRows: PersonRow[] = [];
    for (const [position, child] of plan.children.entries()) {
      const level = CLASSES.indexOf(child.classLevel);
      const ageGroup: AgeGroup = level <= 2 ? 'maternelle' : 'elementaire';
      const doctor = rng.chance(0.7) ? rng.pick(DOCTORS) : null;
      const row = personRow(ctx, {
        civility: null,
        usage_last_name: plan.lastName,
        birth_last_name: plan.lastName,
        first_names: child.firstName,
        birth_date: dayInYear(rng, ctx.startYear - 3 - level),
        birth_country: 'France',
        birth_department: '49',
        birth_commune: rng.pick(['Angers', 'Angers', 'Cholet', 'Saumur']),
        sex: child.sex,
        phone: null,
        mobile: null,
        email: null,
        preferred_contact: null,
        employer_phone: null,
        at,
        school_name:
          ageGroup === 'maternelle' ? 'École maternelle Libération' : 'École élémentaire Jean Jaurès',
        school_level: ageGroup,
        class_level: child.classLevel,
        doctor_name: doctor,
        doctor_phone: doctor ? ids.landline() : null,
      });
      childRows.push(row);
      drafts.push({
        person: row,
        role: 'enfant',
        position,
        relationship: child.sex === 'f' ? 'fille' : 'fils',
        pickUp: 0,
        emergency: 0,
      });
      const noMeat = h === 0 ? position === 1 : rng.chance(0.12);
      children.push({ id: row.id, index: childIndex++, firstName: child.firstName, ageGroup, noMeat });
    }

    const entourage: MemberDraft[] = [];
    const entourageCount =
      h < plans.length
        ? 1
        : rng.weighted([
            [0, 65],
            [1, 25],
            [2, 10],
          ] as const);
    for (let e = 0; e < entourageCount; e++) {
      const sex = rng.chance(0.7) ? 'f' : 'm';
      const relation = rng.weighted([
        [sex === 'f' ? 'grand-mère' : 'grand-père', 60],
        [sex === 'f' ? 'tante' : 'oncle', 15],
        [sex === 'f' ? 'voisine' : 'voisin', 15],
        [sex === 'f' ? 'amie de la famille' : 'ami de la famille', 10],
      ] as const);
      const usage = relation.startsWith('grand') && rng.chance(0.5) ? plan.lastName : rng.pick(SURNAMES);
      const person = personRow(ctx, {
        civility: sex === 'f' ? 'mme' : 'm',
        usage_last_name: usage,
        birth_last_name: usage,
        first_names: rng.pick(sex === 'f' ? ADULT_FEMALE : ADULT_MALE),
        birth_date: null,
        birth_country: null,
        birth_department: null,
        birth_commune: null,
        sex,
        phone: rng.chance(0.4) ? ids.landline() : null,
        mobile: ids.mobile(),
        email: null,
        preferred_contact: 'mobile',
        employer_phone: null,
        at,
      });
      entourage.push({
        person,
        role: 'entourage',
        position: e,
        relationship: relation,
        pickUp: rng.chance(0.85) ? 1 : 0,
        emergency: rng.chance(0.9) ? 1 : 0,
      });
    }
    drafts.push(...entourage);

    // The derived search columns, computed exactly as the repository does (members
    // in (position, id) order, as refreshHouseholdsSearchText reads them).
    const ordered = [...drafts].sort(
      (a, b) => a.position - b.position || (a.person.id < b.person.id ? -1 : 1),
    );
    const searchMembers = ordered.map((d) => ({ ...searchFields(d.person), role: d.role }));
    const situation = plan.coTitulaire ? rng.weighted(SITUATIONS) : rng.pick(SINGLE_SITUATIONS);
    ctx.insert('households', {
      id,
      code,
      ...address,
      country: 'France',
      residency: plan.residency,
      paperless_invoices: paperless ? 1 : 0,
      family_situation: situation,
      caf_number: cafNumber,
      notes: rng.chance(0.03) ? 'Garde alternée : semaine paire chez le père.' : null,
      search_text: householdSearchText({ code, caf_number: cafNumber }, searchMembers),
      sort_name: householdSortName({ code }, searchMembers),
      created_at: at,
      updated_at: at,
    });
    for (const d of drafts) {
      ctx.insert('persons', { ...d.person, search_text: personSearchText(searchFields(d.person)) });
    }
    for (const d of drafts) {
      ctx.insert('household_members', {
        household_id: id,
        person_id: d.person.id,
        role: d.role,
        relationship: d.relationship,
        can_pick_up: d.pickUp,
        emergency_contact: d.emergency,
        position: d.position,
        created_at: at,
        updated_at: at,
      });
    }

    for (const [i, child] of childRows.entries()) {
      const info = children[i]!;
      const relate = (related: PersonRow, relation: string, authority: 0 | 1) =>
        ctx.insert('person_relations', {
          id: ctx.id(),
          person_id: child.id,
          related_person_id: related.id,
          relation,
          parental_authority: authority,
          updated_at: at,
        });
      relate(titulaire, parentWord(plan.titulaire.sex), 1);
      if (coTitulaire && plan.coTitulaire) relate(coTitulaire, parentWord(plan.coTitulaire.sex), 1);
      for (const e of entourage) relate(e.person, e.relationship, 0);
      seedChildCare(
        ctx,
        rng,
        child.id,
        info,
        CLASSES.indexOf(child.class_level as ClassLevel),
        at,
        h === 0 && i === 2,
      );
    }

    const qfByYear = seedQf(ctx, rng, id, plan.qf, qfSource, calendarYear);
    households.push({
      id,
      index: h,
      code,
      residency: plan.residency,
      titulaireId: titulaire.id,
      titulaireName: `${plan.titulaire.firstName} ${plan.lastName}`,
      titulaireFirstName: plan.titulaire.firstName,
      email: titulaire.email!,
      coTitulaireId: coTitulaire?.id ?? null,
      children,
      paperless,
      qfByYear,
      createdMs,
    });
  }
  return households;
}

function parentWord(sex: 'f' | 'm'): string {
  return sex === 'f' ? 'mère' : 'père';
}

function searchFields(p: PersonRow) {
  return {
    usage_last_name: p.usage_last_name,
    birth_last_name: p.birth_last_name ?? null,
    first_names: p.first_names,
    email: p.email ?? null,
    phone: p.phone ?? null,
    mobile: p.mobile ?? null,
  };
}

type PersonInput = Omit<
  NewRow<'persons'>,
  | 'id'
  | 'created_at'
  | 'updated_at'
  | 'search_text'
  | 'photo_blob_hash'
  | 'numero'
  | 'voie'
  | 'batiment'
  | 'appartement'
  | 'complement'
  | 'postcode'
  | 'city'
  | 'country'
  | 'school_name'
  | 'school_level'
  | 'class_level'
  | 'doctor_name'
  | 'doctor_phone'
> &
  Partial<
    Pick<NewRow<'persons'>, 'school_name' | 'school_level' | 'class_level' | 'doctor_name' | 'doctor_phone'>
  > & { at: string };

/** A full persons row (every column present, so one prepared statement serves all). */
function personRow(ctx: SeedContext, p: PersonInput): PersonRow {
  const { at, ...rest } = p;
  return {
    id: ctx.id(),
    ...rest,
    photo_blob_hash: null,
    numero: null,
    voie: null,
    batiment: null,
    appartement: null,
    complement: null,
    postcode: null,
    city: null,
    country: null,
    school_name: p.school_name ?? null,
    school_level: p.school_level ?? null,
    class_level: p.class_level ?? null,
    doctor_name: p.doctor_name ?? null,
    doctor_phone: p.doctor_phone ?? null,
    search_text: '',
    created_at: at,
    updated_at: at,
  };
}

// Who lives in each household of the demo town before it is written: the two
// fixed demo families and randomly drawn ones.
import type { Address } from './identities';
import { ADULT_FEMALE, ADULT_MALE, CHILD_FEMALE, CHILD_MALE, SURNAMES } from './names';
import type { Rng } from './rng';
import type { Residency } from '../schema';

export const DEMO_PARENT_EMAILS = ['parent1@demo.fr', 'parent2@demo.fr'] as const;

export const CLASSES = ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'] as const;
export type ClassLevel = (typeof CLASSES)[number];

export interface ChildPlan {
  firstName: string;
  sex: 'f' | 'm';
  classLevel: ClassLevel;
}

export interface HouseholdPlan {
  lastName: string;
  titulaire: { firstName: string; sex: 'f' | 'm' };
  coTitulaire: { firstName: string; sex: 'f' | 'm'; sameName: boolean } | null;
  children: ChildPlan[];
  residency: Residency;
  address?: Address;
  email?: string;
  qf: 'valide' | 'expire' | 'absent';
}

/** The two households behind parent1@demo.fr and parent2@demo.fr. */
export function demoPlans(): HouseholdPlan[] {
  return [
    {
      lastName: 'Bécassines',
      titulaire: { firstName: 'Loïc', sex: 'm' },
      coTitulaire: { firstName: 'Hélène', sex: 'f', sameName: true },
      children: [
        { firstName: 'Sasha', sex: 'f', classLevel: 'CM1' },
        { firstName: 'Léa', sex: 'f', classLevel: 'CP' },
        { firstName: 'Tom', sex: 'm', classLevel: 'MS' },
      ],
      residency: 'resident',
      address: {
        numero: '11',
        voie: 'rue des Bécassines',
        batiment: null,
        appartement: null,
        complement: null,
        postcode: '49170',
        city: 'Saint-Aubin-sur-Loire',
      },
      email: DEMO_PARENT_EMAILS[0],
      qf: 'valide',
    },
    {
      lastName: 'François',
      titulaire: { firstName: 'Chloé', sex: 'f' },
      coTitulaire: null,
      children: [
        { firstName: 'Zoé', sex: 'f', classLevel: 'CE2' },
        { firstName: 'Noël', sex: 'm', classLevel: 'GS' },
      ],
      residency: 'exterieur',
      email: DEMO_PARENT_EMAILS[1],
      qf: 'absent',
    },
  ];
}

export function randomPlan(rng: Rng): HouseholdPlan {
  const lastName = rng.pick(SURNAMES);
  const titulaireSex = rng.chance(0.62) ? 'f' : 'm';
  const titulaire = {
    firstName: rng.pick(titulaireSex === 'f' ? ADULT_FEMALE : ADULT_MALE),
    sex: titulaireSex,
  } as const;
  let coTitulaire: HouseholdPlan['coTitulaire'] = null;
  if (rng.chance(0.76)) {
    const sex = rng.chance(0.95) ? (titulaireSex === 'f' ? 'm' : 'f') : titulaireSex;
    coTitulaire = {
      firstName: rng.pick(sex === 'f' ? ADULT_FEMALE : ADULT_MALE),
      sex,
      sameName: rng.chance(0.6),
    };
  }
  const count = rng.weighted([
    [1, 35],
    [2, 40],
    [3, 18],
    [4, 7],
  ] as const);
  const levels = rng.sample(CLASSES, count);
  if (count >= 2 && rng.chance(0.03)) levels[1] = levels[0]!; // twins
  const used = new Set<string>();
  const children = levels
    .sort((a, b) => CLASSES.indexOf(b) - CLASSES.indexOf(a))
    .map((classLevel) => {
      const sex = rng.chance(0.5) ? 'f' : 'm';
      let firstName = rng.pick(sex === 'f' ? CHILD_FEMALE : CHILD_MALE);
      while (used.has(firstName)) firstName = rng.pick(sex === 'f' ? CHILD_FEMALE : CHILD_MALE);
      used.add(firstName);
      return { firstName, sex, classLevel } as ChildPlan;
    });
  const qf = rng.weighted([
    ['valide', 78],
    ['expire', 10],
    ['absent', 12],
  ] as const);
  return {
    lastName,
    titulaire,
    coTitulaire,
    children,
    residency: rng.chance(0.88) ? 'resident' : 'exterieur',
    qf,
  };
}

export const SITUATIONS: readonly (readonly [string, number])[] = [
  ['Mariés', 45],
  ['Pacsés', 20],
  ['Vie maritale', 25],
  ['Séparés', 10],
];
export const SINGLE_SITUATIONS = ['Célibataire', 'Divorcé(e)', 'Séparé(e)', 'Veuf(ve)'] as const;

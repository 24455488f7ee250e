// Parents' web accounts (Espace Famille) and the access keys the town mails to
// families without one, plus the demo logins printed by the start script.
import { createHash } from 'node:crypto';
import type { SeedContext } from './context';
import type { HouseholdInfo } from './households';
import { DEMO_PARENT_EMAILS } from './households';
import { hashPasswordSync } from './passwords';
import { DEMO_PASSWORD } from './town';

export interface DemoLogin {
  role: 'accueil' | 'regisseur' | 'administrateur' | 'parent';
  /** Where to use it: the counter application or the parents' portal. */
  app: 'desk' | 'portal';
  login: string;
  password: string;
  display: string;
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    role: 'accueil',
    app: 'desk',
    login: 'agent.accueil',
    password: DEMO_PASSWORD,
    display: "Guichet — agent d'accueil (Mégane Lefèvre)",
  },
  {
    role: 'regisseur',
    app: 'desk',
    login: 'agent.regie',
    password: DEMO_PASSWORD,
    display: 'Guichet — régisseur (Jérôme Martin)',
  },
  {
    role: 'administrateur',
    app: 'desk',
    login: 'admin',
    password: DEMO_PASSWORD,
    display: 'Guichet — administrateur (Gaëlle Rousseau)',
  },
  {
    role: 'parent',
    app: 'portal',
    login: DEMO_PARENT_EMAILS[0],
    password: DEMO_PASSWORD,
    display: 'Portail — famille Bécassines (Loïc et Hélène ; Sasha, Léa, Tom), résidente',
  },
  {
    role: 'parent',
    app: 'portal',
    login: DEMO_PARENT_EMAILS[1],
    password: DEMO_PASSWORD,
    display: 'Portail — famille François (Chloé ; Zoé, Noël), extérieure, sans QF valide',
  },
];

export interface TownAccounts {
  /** Household index → citizen account id (households that use the portal). */
  byHousehold: Map<number, string>;
  /** One unused access key, to show "Créer mon espace" with a clé (plain text: demo only). */
  demoAccessKey: { householdCode: string; key: string } | null;
}

/** How an access key is stored: SHA-256 (hex) of the key in upper case, without spaces. */
export function accessKeyHash(key: string): string {
  return createHash('sha256').update(key.replace(/\s+/g, '').toUpperCase()).digest('hex');
}

export function seedAccounts(ctx: SeedContext, households: readonly HouseholdInfo[]): TownAccounts {
  const rng = ctx.root.fork('accounts');
  // Every other portal user shares one hash of the demo password (hashing 10 000
  // passwords with scrypt would take minutes); the demo accounts get their own salt.
  const sharedHash = hashPasswordSync(DEMO_PASSWORD, rng.bytes16());
  const byHousehold = new Map<number, string>();
  let demoAccessKey: TownAccounts['demoAccessKey'] = null;

  for (const h of households) {
    const demo = h.index < DEMO_PARENT_EMAILS.length;
    const hasAccount = demo || rng.chance(0.62);
    const statusRoll = rng.float();
    const lastLoginDays = rng.int(0, 60);
    const keyRoll = rng.float();
    const key = `${rng.int(10_000, 99_999)}-${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 7)}`;
    if (hasAccount) {
      const id = ctx.id();
      const status =
        demo || statusRoll < 0.95 ? 'actif' : statusRoll < 0.98 ? 'en_attente_activation' : 'desactive';
      const createdMs =
        Math.max(h.createdMs, Date.UTC(ctx.startYear - 2, 8, 1)) + rng.int(1, 30) * 86_400_000;
      const created = ctx.iso(Math.min(createdMs, ctx.nowMs - 86_400_000));
      const pending = status === 'en_attente_activation';
      ctx.insert('citizen_accounts', {
        id,
        household_id: h.id,
        person_id: h.titulaireId,
        login: h.email,
        email: h.email,
        password_hash: demo ? hashPasswordSync(DEMO_PASSWORD, rng.bytes16()) : sharedHash,
        status,
        activation_token_hash: pending ? createHash('sha256').update(rng.bytes16()).digest('hex') : null,
        activation_expires_at: pending ? ctx.iso(ctx.nowMs + 36 * 3_600_000) : null,
        password_reset_token_hash: null,
        password_reset_expires_at: null,
        failed_login_count: 0,
        locked_until: null,
        last_login_at:
          status === 'actif'
            ? ctx.iso(
                demo
                  ? ctx.at(ctx.addDays(ctx.today, -2), 14, 14)
                  : ctx.nowMs - lastLoginDays * 86_400_000 - 3_600_000,
              )
            : null,
        created_at: created,
        updated_at: created,
      });
      if (status === 'actif') byHousehold.set(h.index, id);
    } else if (keyRoll < 0.3 || demoAccessKey === null) {
      const issued = ctx.iso(Date.UTC(ctx.startYear, 7, 25, 8));
      ctx.insert('household_access_keys', {
        id: ctx.id(),
        household_id: h.id,
        key_hash: accessKeyHash(key),
        key_hint: `…${key.slice(-5)}`,
        issued_at: issued,
        expires_at: ctx.iso(Date.UTC(ctx.startYear + 1, 7, 31, 21)),
        used_at: null,
        used_by_account_id: null,
        updated_at: issued,
      });
      if (demoAccessKey === null) demoAccessKey = { householdCode: h.code, key };
    }
  }
  return { byHousehold, demoAccessKey };
}

// The town as printed at the top of every document the desk and the server produce (receipt, invoice, journal de
// caisse, access letter): name, address, régie, service, logo.
import type { Kysely } from 'kysely';
import type { Database } from '../schema';

export interface TownLetterhead {
  name: string;
  street: string | null;
  postcode: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  /** "Régie unique Enfance-Jeunesse" (towns.settings_json.regie). */
  regie: string | null;
  /** "Pôle Enfance Jeunesse" (towns.settings_json.serviceName). */
  serviceName: string | null;
  servicePhone: string | null;
  logo: { contentType: string; data: Uint8Array } | null;
}

function settingString(settings: Record<string, unknown>, key: string): string | null {
  const value = settings[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** The town as printed at the top of its documents; null before the first setup. */
export async function getTownLetterhead(db: Kysely<Database>): Promise<TownLetterhead | null> {
  const town = await db.selectFrom('towns').selectAll().orderBy('created_at').limit(1).executeTakeFirst();
  if (!town) return null;
  let settings: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(town.settings_json);
    if (parsed && typeof parsed === 'object') settings = parsed as Record<string, unknown>;
  } catch {
    settings = {};
  }
  const logo = town.logo_blob_hash
    ? await db
        .selectFrom('blobs')
        .select(['content_type', 'data'])
        .where('hash', '=', town.logo_blob_hash)
        .executeTakeFirst()
    : undefined;
  return {
    name: town.name,
    street: town.street,
    postcode: town.postcode,
    city: town.city,
    phone: town.phone,
    email: town.email,
    website: town.website,
    regie: settingString(settings, 'regie'),
    serviceName: settingString(settings, 'serviceName'),
    servicePhone: settingString(settings, 'servicePhone'),
    logo: logo?.data ? { contentType: logo.content_type, data: logo.data } : null,
  };
}

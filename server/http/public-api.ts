// Public portal API (no login): what the portal's home page shows — town, news, practical information, activities.
import type { FastifyInstance } from 'fastify';
import type { PublicHome, PublicPublication } from '../../core/api/portal';
import type { OpenedDatabase } from '../../db/open';
import type { Row } from '../../db/schema';
import { getTown, listActivities, listPublications, listSites } from '../../db/repositories/town';

const toPublication = (row: Row<'publications'>): PublicPublication => ({
  id: row.id,
  title: row.title,
  body: row.body,
  publishedOn: row.published_on,
});

export function registerPublicRoutes(app: FastifyInstance, { db }: OpenedDatabase): void {
  app.get('/api/v1/public/home', async (_request, reply): Promise<PublicHome | undefined> => {
    const [town, sites, activities, news, infos] = await Promise.all([
      getTown(db),
      listSites(db),
      listActivities(db),
      listPublications(db, { kind: 'actualite', limit: 6 }),
      listPublications(db, { kind: 'info_pratique', limit: 6 }),
    ]);
    if (!town) {
      void reply.code(503).send({
        code: 'TOWN_NOT_CONFIGURED',
        message: "Le portail n'est pas encore configuré par la mairie.",
      });
      return undefined;
    }
    return {
      town: {
        name: town.name,
        address:
          [town.street, [town.postcode, town.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') ||
          null,
        phone: town.phone,
        email: town.email,
        website: town.website,
      },
      sites: sites.map((site) => ({ id: site.id, name: site.name, kind: site.kind })),
      activities: activities.map((activity) => ({
        id: activity.id,
        code: activity.code,
        name: activity.name,
        kind: activity.kind,
        units: activity.units.map((unit) => ({ code: unit.code, label: unit.label })),
      })),
      news: news.map(toPublication),
      infos: infos.map(toPublication),
    };
  });
}

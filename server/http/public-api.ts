// Public portal API (no login): what the portal's home page shows — town, news, practical info, activities.
import type { FastifyInstance } from 'fastify';
import type { OpenedDatabase } from '../../db/open';
import { getTown, listActivities, listPublications, listSites } from '../../db/repositories/town';

export function registerPublicRoutes(app: FastifyInstance, { db }: OpenedDatabase): void {
  app.get('/api/v1/public/home', async () => {
    const [town, sites, activities, news, infos] = await Promise.all([
      getTown(db),
      listSites(db),
      listActivities(db),
      listPublications(db, { kind: 'actualite', limit: 6 }),
      listPublications(db, { kind: 'info_pratique', limit: 6 }),
    ]);
    return { town, sites, activities, news, infos };
  });
}

// HTTP client of the portal API (same origin as the server that serves the portal).
import type { PublicHome } from '../../../core/api/portal';

export class PortalApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' } });
  } catch {
    throw new PortalApiError(
      'NETWORK',
      'Le service est momentanément injoignable. Vérifiez votre connexion puis réessayez.',
    );
  }
  const body = (await response.json().catch(() => null)) as (T & { code?: string; message?: string }) | null;
  if (!response.ok || body === null) {
    throw new PortalApiError(
      body?.code ?? 'HTTP_' + response.status,
      body?.message ?? 'Une erreur est survenue. Réessayez plus tard.',
    );
  }
  return body;
}

export const fetchPublicHome = (): Promise<PublicHome> => getJson<PublicHome>('/api/v1/public/home');

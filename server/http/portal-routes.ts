/**
 * Parents' portal API behind a session cookie:
 * - POST   /api/v1/session  {login, password} → httpOnly signed cookie (generic error, per-login rate limit);
 * - DELETE /api/v1/session  → signs out;
 * - GET    /api/v1/me       → the account and its household;
 * - POST   /api/v1/bookings {personId, activityId, siteId, day, units} → the same booking.set_day command as a
 *   desk's, actor parent; `Idempotency-Key` makes a retry land once. Answers 200 `{ outcome, code?, message?,
 *   bookings }` whatever the outcome (a refusal is a decision, not an error).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bookingSetDayV1 } from '../../core/sync/commands';
import { bookingStatements } from '../../db/repositories/booking-decisions';
import { citizenSessionStatements } from '../../db/repositories/citizen-sessions';
import type { CitizenSession } from '../../db/repositories/citizen-sessions';
import {
  SESSION_COOKIE,
  closeCitizenSession,
  findCitizenSession,
  openCitizenSession,
} from '../auth/citizen-sessions';
import { tooManyAttemptsMessage } from '../auth/login-throttle';
import { checkPassword } from '../auth/passwords';
import { writeWithChanges } from '../sync/change-log';
import { IdempotencyKeyReusedError, bookForParent } from '../sync/portal-ops';
import { registerPortalDemandeRoutes } from './portal-demandes';
import type { ServerContext } from './server-context';
import { problem } from './server-context';

const LOGIN_FAILED = problem('LOGIN_FAILED', 'Identifiant ou mot de passe incorrect.');
const SIGN_IN_REQUIRED = problem('SIGN_IN_REQUIRED', 'Votre session a expiré : reconnectez-vous.');

const signInSchema = z.object({ login: z.string().min(1).max(200), password: z.string().min(1).max(200) });
const parentBookingSchema = bookingSetDayV1.omit({ overrideReason: true }).strict();

export function registerPortalRoutes(app: FastifyInstance, context: ServerContext): void {
  const { sqlite } = context.database;

  function sessionOf(request: FastifyRequest): { token: string; session: CitizenSession } | null {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return null;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || unsigned.value === null) return null;
    const session = findCitizenSession(sqlite, unsigned.value, context.now());
    return session ? { token: unsigned.value, session } : null;
  }

  function requireSession(request: FastifyRequest, reply: FastifyReply): CitizenSession | null {
    const found = sessionOf(request);
    if (!found) void reply.code(401).send(SIGN_IN_REQUIRED);
    return found?.session ?? null;
  }

  registerPortalDemandeRoutes(app, context, requireSession);

  app.post('/api/v1/session', async (request, reply) => {
    const body = signInSchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send(LOGIN_FAILED);
    const { login, password } = body.data;
    const now = context.now();
    const throttleKey = `citizen:${login}`;
    const wait = context.throttle.retryAfterMs(throttleKey, now.getTime());
    if (wait > 0) {
      return reply
        .code(429)
        .header('retry-after', String(Math.ceil(wait / 1000)))
        .send(problem('TOO_MANY_ATTEMPTS', tooManyAttemptsMessage(wait)));
    }
    const account = citizenSessionStatements(sqlite).accountByLogin(login);
    if (!(await checkPassword(password, account?.password_hash)) || !account) {
      context.throttle.fail(throttleKey, now.getTime());
      return reply.code(401).send(LOGIN_FAILED);
    }
    context.throttle.succeed(throttleKey);
    if (account.status === 'en_attente_activation') {
      return reply
        .code(403)
        .send(
          problem(
            'ACCOUNT_NOT_ACTIVATED',
            "Votre espace n'est pas encore activé : suivez le lien reçu par courriel.",
          ),
        );
    }
    if (account.status !== 'actif') {
      return reply
        .code(403)
        .send(problem('ACCOUNT_DISABLED', 'Cet espace est désactivé : contactez la mairie.'));
    }
    const { token, expiresAt } = writeWithChanges(sqlite, now, (changes) => {
      citizenSessionStatements(sqlite).recordLogin(account.id, changes.at);
      changes.upsert('citizen_accounts', account.id);
      return openCitizenSession(sqlite, account.id, now);
    });
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: 'auto',
      path: '/',
      signed: true,
      expires: expiresAt,
    });
    return {
      accountId: account.id,
      householdId: account.household_id,
      previousLoginAt: account.last_login_at,
      expiresAt: expiresAt.toISOString(),
    };
  });

  app.delete('/api/v1/session', async (request, reply) => {
    const found = sessionOf(request);
    if (found) closeCitizenSession(sqlite, found.token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/v1/me', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    return {
      accountId: session.account_id,
      login: session.login,
      email: session.email,
      householdId: session.household_id,
      personId: session.person_id,
      lastLoginAt: session.last_login_at,
    };
  });

  app.post('/api/v1/bookings', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    if (session.household_id === null) {
      return reply
        .code(403)
        .send(
          problem(
            'NO_HOUSEHOLD',
            "Votre espace n'est pas encore relié à un dossier famille : contactez la mairie.",
          ),
        );
    }
    const body = parentBookingSchema.safeParse(request.body);
    if (!body.success) {
      return reply
        .code(400)
        .send(
          problem(
            'INVALID_BOOKING',
            'Réservation mal formée : enfant, activité, lieu, jour (AAAA-MM-JJ) et unités attendus.',
          ),
        );
    }
    if (!bookingStatements(sqlite).isHouseholdMember(session.household_id, body.data.personId)) {
      return reply
        .code(403)
        .send(problem('PERSON_NOT_IN_HOUSEHOLD', 'Cet enfant ne fait pas partie de votre foyer.'));
    }
    const key = request.headers['idempotency-key'];
    try {
      return bookForParent(
        context.database,
        { accountId: session.account_id, householdId: session.household_id },
        body.data,
        {
          ...(typeof key === 'string' && key.length > 0 && key.length <= 200 ? { idempotencyKey: key } : {}),
          now: context.now(),
          logError: (message, details) => request.log.error(details, message),
        },
      );
    } catch (error) {
      if (error instanceof IdempotencyKeyReusedError)
        return reply.code(409).send(problem(error.code, error.message));
      throw error;
    }
  });
}

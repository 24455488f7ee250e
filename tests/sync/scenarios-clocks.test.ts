// More of the sync protocol's hard cases, against a real server and real desks (tests/sync/scenario-setup.ts):
// desk clocks that are wrong (a day or a year off) decide nothing.
import { describe, expect, it } from 'vitest';
import { bookingDeadline, deadlineRuleSchema } from '../../core/booking/deadline';
import type { UnitCode } from '../../core/booking/units';
import { addDays } from '../../core/calendar/paris';
import type { SyncOp } from '../../core/sync/messages';
import type { DeskBackend } from '../../electron/backend/desk-backend';
import { Network } from './network';
import type { EnrolledDesk, Slot } from './support';
import { DAY_MS, TODAY, busiestDays, call, rawPush, slotsOn } from './support';
import { serverViolations } from './invariants';
import {
  town,
  enrolled,
  server,
  sqlite,
  regie,
  desks,
  openDesk,
  setDay,
  count,
  expectConsistent,
} from './scenario-setup';

describe('desk clocks decide nothing', () => {
  interface Near {
    activityCode: string;
    unit: UnitCode;
    slots: Slot[];
  }

  /**
   * Days whose deadline (server time) is a few hours to a day ahead (`ahead`: still in time; a desk a day ahead
   * would call them late) or a few hours to a day behind (`behind`: late; a desk a day behind would not).
   */
  function nearDeadlines(): { ahead: Near | null; behind: Near | null } {
    const found: { ahead: Near | null; behind: Near | null } = { ahead: null, behind: null };
    const now = Date.now();
    const margin = 10 * 60_000;
    for (const [activityCode, unit] of [
      ['RESTAURATION', 'REPAS'],
      ['ALSH_MER', 'MATIN'],
      ['PERI_SOIR', 'SOIR'],
      ['PERI_MATIN', 'MATIN'],
    ] as [string, UnitCode][]) {
      const json = sqlite
        .prepare('SELECT deadline_json FROM activities WHERE code = ?')
        .pluck()
        .get(activityCode);
      const rule = deadlineRuleSchema.parse(JSON.parse(String(json)));
      for (let ahead = 0; ahead <= 6; ahead += 1) {
        const day = addDays(TODAY, ahead);
        const distance = bookingDeadline(rule, day).getTime() - now;
        const key =
          distance > margin && distance < DAY_MS - margin
            ? 'ahead'
            : distance < -margin && distance > -DAY_MS + margin
              ? 'behind'
              : null;
        if (!key || found[key]) continue;
        const slots = slotsOn(sqlite, { activityCode, day }).filter(
          (slot) =>
            count(
              'SELECT COUNT(*) FROM capacities c JOIN units u ON u.id = c.unit_id WHERE u.activity_id = ? AND u.code = ? AND c.site_id = ? AND c.day = ? AND c.age_group = ? AND c.taken < c.places',
              slot.activityId,
              unit,
              slot.siteId,
              slot.day,
              slot.ageGroup,
            ) === 1,
        );
        if (slots.length >= 2) found[key] = { activityCode, unit, slots };
      }
    }
    return found;
  }

  it.each([
    { skew: 'a day ahead', offsetMs: DAY_MS },
    { skew: 'a day behind', offsetMs: -DAY_MS },
    { skew: 'a year ahead', offsetMs: 366 * DAY_MS },
  ])('a desk $skew books, refuses and stamps exactly as an exact desk', async ({ offsetMs }) => {
    const exact = await openDesk(enrolled.a);
    const skewedPath = town.file('desk-skewed');
    const skewed = await openDesk(enrolled.b, {
      dbPath: skewedPath,
      now: () => new Date(Date.now() + offsetMs),
    });
    const inTime = slotsOn(sqlite, { activityCode: 'ALSH_MER', ...busiestDays(sqlite, 'ALSH_MER', 7)[0]! });
    const near = nearDeadlines();
    const decisions = async (desk: DeskBackend, i: number) => {
      const outcome = async (slot: Slot | undefined, unit: UnitCode, reason?: string) => {
        if (!slot) return 'none';
        const result = await desk.invoke('booking/set-day', setDay(slot, [unit], reason));
        return result.ok ? 'written' : result.error.code;
      };
      return {
        inTime: await outcome(inTime[i], 'MATIN'),
        beforeDeadline: await outcome(near.ahead?.slots[i], near.ahead?.unit ?? 'MATIN'),
        pastDeadline: await outcome(near.behind?.slots[i], near.behind?.unit ?? 'MATIN'),
        pastDeadlineWithReason: await outcome(
          near.behind?.slots[i],
          near.behind?.unit ?? 'MATIN',
          'Accord de la directrice',
        ),
      };
    };
    const expected = {
      inTime: 'written',
      beforeDeadline: near.ahead ? 'written' : 'none',
      pastDeadline: near.behind ? 'BOOKING_OVERRIDE_REASON_REQUIRED' : 'none',
      pastDeadlineWithReason: near.behind ? 'written' : 'none',
    };
    if (!near.ahead || !near.behind)
      console.info(
        `[clock] no day with a deadline within a day ${!near.ahead ? 'ahead' : 'behind'} right now`,
      );

    // Offline, the skewed desk judges with its corrected clock (offset learnt from the server's Date header).
    exact.network.goOffline();
    skewed.network.goOffline();
    expect(await decisions(exact.desk, 0)).toEqual(expected);
    expect(await decisions(skewed.desk, 1)).toEqual(expected);
    const paid = await call(skewed.desk, 'payment/record', {
      householdId: inTime[1]!.householdId,
      mode: 'cheque',
      amountCents: 1200,
    });
    expect(Math.abs(Date.parse(paid.receivedAt) - Date.now())).toBeLessThan(5_000);

    // Restarted offline, it still knows the offset.
    skewed.desk.close();
    desks.splice(desks.indexOf(skewed.desk), 1);
    const network = new Network();
    network.goOffline();
    const again = await openDesk(enrolled.b, {
      dbPath: skewedPath,
      fetch: network.fetch,
      now: () => new Date(Date.now() + offsetMs),
    });
    if (near.ahead?.slots[2]) {
      expect(
        await again.desk.invoke('booking/set-day', setDay(near.ahead.slots[2], [near.ahead.unit])),
      ).toMatchObject({ ok: true });
    }

    network.goOnline();
    exact.network.goOnline();
    for (const desk of [exact.desk, again.desk, exact.desk]) await call(desk, 'sync/now', undefined);
    // The server decided with its own clock: same outcomes for both desks, none refused, overrides logged.
    const results = (desk: EnrolledDesk) =>
      (
        sqlite
          .prepare(
            "SELECT command, json_extract(result_json, '$.outcome') AS outcome, json_extract(result_json, '$.code') AS code FROM applied_ops WHERE desk_id = ? AND command = 'booking.set_day' ORDER BY desk_seq",
          )
          .all(desk.id) as { outcome: string; code: string | null }[]
      ).slice(0, 3);
    expect(results(enrolled.b)).toEqual(results(enrolled.a));
    expect(results(enrolled.a).every((r) => r.outcome === 'accepted')).toBe(true);
    if (near.behind) expect(results(enrolled.a).at(-1)?.code).toBe('DEADLINE_OVERRIDDEN');
    const stamp = sqlite
      .prepare('SELECT received_at FROM payments WHERE id = ?')
      .pluck()
      .get(paid.paymentId) as string;
    expect(Math.abs(Date.parse(stamp) - Date.now())).toBeLessThan(60_000);
    expectConsistent([exact.desk, enrolled.a], [again.desk, enrolled.b]);
  });

  it('the server ignores the time a desk wrote on its ops (a year off either way)', async () => {
    const slots = slotsOn(sqlite, { activityCode: 'ALSH_MER', ...busiestDays(sqlite, 'ALSH_MER', 7)[0]! });
    const op = (seq: number, slot: Slot, createdAt: string): SyncOp => ({
      opId: crypto.randomUUID(),
      deskSeq: seq,
      command: 'booking.set_day',
      commandVersion: 1,
      payload: setDay(slot, ['MATIN']),
      agentId: regie,
      createdAt,
    });
    const year = 366 * DAY_MS;
    const { body } = await rawPush(server.url, enrolled.a.token, [
      op(1, slots[0]!, new Date(Date.now() + year).toISOString()),
      op(2, slots[1]!, new Date(Date.now() - year).toISOString()),
      op(3, slots[2]!, 'not even a date'),
    ]);
    expect(body.results.map((r) => [r.outcome, r.code])).toEqual([
      ['accepted', undefined],
      ['accepted', undefined],
      ['accepted', undefined],
    ]);
    expect(serverViolations(sqlite)).toEqual([]);
  });
});

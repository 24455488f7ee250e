// Shared fast-check generators for the core tests (built without the code under test).
import fc from 'fast-check';

/** A calendar day `YYYY-MM-DD` between 1990 and 2100. */
export const dayArb = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

/** An instant between 1990 and 2100. */
export const instantArb = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2100-12-31T23:59:59Z'),
  noInvalidDate: true,
});

import { AppError } from '../../../common/errors';
import { latestBookableDate, resolveStart } from './bookable';

const fail = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('a booking start: a local wall time read by the planning package’s rule, or an instant', () => {
  it.each([
    ['a local time in summer', '2026-06-10T10:00', 'Europe/London', '2026-06-10T09:00:00.000Z'],
    ['an instant with an offset', '2026-06-10T10:00:00+02:00', 'Europe/London', '2026-06-10T08:00:00.000Z'],
    ['London, autumn overlap: the first 01:30 (BST)', '2026-10-25T01:30', 'Europe/London', '2026-10-25T00:30:00.000Z'],
    ['New York, autumn overlap: the first 01:30 (EDT)', '2026-11-01T01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['zero seconds are a whole minute', '2026-06-10T10:00:00', 'Europe/London', '2026-06-10T09:00:00.000Z'],
  ])('%s', (_label, value, zone, utc) => {
    expect(resolveStart(value, zone, 'input.startsAt').toISO()).toBe(utc);
  });

  it.each([
    ['London, spring gap', '2026-03-29T01:30', 'Europe/London', /does not exist in Europe\/London/],
    ['New York, spring gap', '2026-03-08T02:30', 'America/New_York', /does not exist in America\/New_York/],
    ['not a calendar date', '2026-02-30T10:00', 'Europe/London', /not a real date and time/],
    ['seconds', '2026-06-10T10:00:30', 'Europe/London', /whole minute/],
    ['no offset and not local', '10:00', 'Europe/London', /must be an ISO date-time/],
  ])('refuses %s, naming the field', (_label, value, zone, message) => {
    const err = fail(() => resolveStart(value, zone, 'input.startsAt'));
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    expect(err.extensions.field).toBe('input.startsAt');
    expect(err.message).toMatch(message);
  });
});

describe('the booking horizon: today in the clinic’s zone plus its days', () => {
  it.each([
    ['London, midday', 'Europe/London', '2026-12-01T12:00:00Z', 365, '2027-12-01'],
    ['Auckland is already tomorrow', 'Pacific/Auckland', '2026-12-01T12:00:00Z', 30, '2027-01-01'],
    ['Los Angeles is still yesterday', 'America/Los_Angeles', '2026-12-01T05:00:00Z', 1, '2026-12-01'],
  ])('%s', (_label, timeZone, now, days, latest) => {
    expect(latestBookableDate({ timeZone, maxBookingHorizonDays: days }, new Date(now))).toBe(latest);
  });
});

import { describe, expect, it } from '@jest/globals';
import { DateTime, Settings } from 'luxon';
import { clinicLocalizer } from './localizer';

/** The same instants drawn by two clinics' calendars, one after the other, each on its own wall clock. */
describe('clinicLocalizer', () => {
  const before = Settings.defaultZone.name;

  it('draws a London clinic and then a New York clinic each in its own zone, leaving luxon’s default zone alone', () => {
    const instant = new Date('2027-03-10T14:30:00Z');

    const london = clinicLocalizer('Europe/London');
    expect(london.getMinutesFromMidnight(instant)).toBe(14 * 60 + 30);
    expect(london.startOf(instant, 'day').toISOString()).toBe('2027-03-10T00:00:00.000Z');
    expect(london.format(instant, 'HH:mm')).toBe('14:30');
    expect(Settings.defaultZone.name).toBe(before);

    const newYork = clinicLocalizer('America/New_York');
    expect(newYork.getMinutesFromMidnight(instant)).toBe(9 * 60 + 30);
    expect(newYork.startOf(instant, 'day').toISOString()).toBe('2027-03-10T05:00:00.000Z');
    expect(newYork.format(instant, 'HH:mm')).toBe('09:30');
    expect(Settings.defaultZone.name).toBe(before);

    // The first localizer is not changed by the second.
    expect(london.format(instant, 'HH:mm')).toBe('14:30');
  });

  it('keeps wall-clock rows on the day the clocks change in the clinic’s zone (not the browser’s)', () => {
    // 31 October 2027: London falls back at 02:00 BST; the day has 25 hours.
    const london = clinicLocalizer('Europe/London');
    const dayStart = DateTime.fromISO('2027-10-31T00:00', { zone: 'Europe/London' }).toJSDate();
    const nine = DateTime.fromISO('2027-10-31T09:00', { zone: 'Europe/London' }).toJSDate();
    expect(london.getMinutesFromMidnight(nine)).toBe(9 * 60);
    expect(london.getTotalMin(dayStart, nine)).toBe(9 * 60);
    expect(london.getSlotDate(dayStart, 9 * 60, 0).toISOString()).toBe(nine.toISOString());

    // The same wall time in New York, whose clocks change a week later.
    const newYork = clinicLocalizer('America/New_York');
    const nyStart = DateTime.fromISO('2027-10-31T00:00', { zone: 'America/New_York' }).toJSDate();
    const nyNine = DateTime.fromISO('2027-10-31T09:00', { zone: 'America/New_York' }).toJSDate();
    expect(newYork.getTotalMin(nyStart, nyNine)).toBe(9 * 60);
    expect(newYork.range(nyStart, newYork.add(nyStart, 2, 'day'), 'day').map((d) => newYork.format(d, 'yyyy-MM-dd'))).toEqual(['2027-10-31', '2027-11-01', '2027-11-02']);
  });
});

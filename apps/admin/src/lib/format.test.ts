import { afterEach, describe, expect, it } from '@jest/globals';
import { formatDate, formatDateTime, formatDay, formatTime, setDisplayZone, wallParts } from './format';

describe('the date and time formatters', () => {
  afterEach(() => setDisplayZone(null));

  it('write a wall date as it is, whatever the zone (a birth date is not moved a day)', () => {
    for (const zone of ['America/New_York', 'Pacific/Auckland', 'UTC']) {
      expect(formatDate('1985-03-02', { zone })).toBe('Sat 2 Mar 1985');
      expect(formatDate('1985-03-02', { zone, weekday: false })).toBe('2 Mar 1985');
    }
  });

  it('write a clinic wall time as it is', () => {
    expect(formatDate('2026-11-30T09:00')).toBe('Mon 30 Nov 2026');
    expect(formatDay('2026-11-30T09:00')).toBe('Mon 30 Nov');
    expect(formatDay('2026-09-02', { weekday: false })).toBe('2 Sep');
    expect(formatTime('2026-11-30T09:05')).toBe('09:05');
    expect(formatDateTime('2026-11-30T09:00', { now: new Date('2026-06-01T12:00:00Z') })).toBe('Mon 30 Nov, 09:00');
  });

  it('show an instant in the display zone, the year only when it is not this year', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    setDisplayZone('Europe/London');
    expect(formatDateTime('2026-11-30T09:00:00.000Z', { now })).toBe('Mon 30 Nov, 09:00');
    setDisplayZone('America/New_York');
    expect(formatDateTime('2026-11-30T09:00:00.000Z', { now })).toBe('Mon 30 Nov, 04:00');
    expect(formatDate('2026-11-30T03:00:00Z')).toBe('Sun 29 Nov 2026');
    expect(formatDateTime('2025-12-04T19:30:00Z', { now })).toBe('Thu 4 Dec 2025, 14:30');
    expect(formatDateTime('2026-11-30T09:00:00Z', { now, zone: 'Asia/Tokyo' })).toBe('Mon 30 Nov, 18:00');
  });

  it('give back what is not a date, and survive an unknown zone', () => {
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDateTime('')).toBe('');
    expect(wallParts('2026-11-30T09:00:00Z', 'Not/AZone')).toEqual({ year: 2026, month: 11, day: 30, time: '09:00' });
  });
});

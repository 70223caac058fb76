import { DateTime } from 'luxon';
import { localDate, localTime } from './content';

describe('the reminder’s local times (one Intl formatter per zone)', () => {
  const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'Europe/Berlin', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Tokyo'];
  it('writes exactly what luxon’s en-GB format writes, across two years and DST changes', () => {
    for (const zone of zones) {
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 3600_000 * 31 + 60_000 * 13) {
        const d = new Date(t);
        const dt = DateTime.fromJSDate(d, { zone }).setLocale('en-GB');
        expect(localTime(d, zone)).toBe(dt.toFormat("cccc d LLLL yyyy 'at' HH:mm ZZZZ"));
        expect(localDate(d, zone)).toBe(dt.toFormat('cccc d LLLL yyyy'));
      }
    }
  });
  it('falls back to luxon for a zone Intl does not know', () => {
    expect(localTime(new Date(0), 'Not/AZone')).toBe('Invalid DateTime');
  });
});

import { formatHhmm, TIME_OF_DAY_OR_MIDNIGHT } from '@fascia/planning';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { fromZod } from './errors';

/** `HH:mm`, or `24:00` as a window's end: the planning package's rule. */
export const HHMM = TIME_OF_DAY_OR_MIDNIGHT;

export const uuid = z.uuid({ message: 'must be an id (uuid)' });
export const timeOfDay = z.string().regex(HHMM, 'must be a time of day as HH:mm (00:00–24:00)');
export const timeZone = z
  .string()
  .refine((tz) => IANAZone.isValidZone(tz) && tz.includes('/'), {
    message: 'must be an IANA time zone such as Europe/London or America/New_York',
  });
export const email = z.string().trim().toLowerCase().pipe(z.email({ message: 'must be an email address' }));
export const name = (max = 200) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Free text that may be left out; blank becomes null. */
export const optionalText = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).transform((s) => s || null).nullish();

export const toMinutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};
export const fromMinutes = formatHhmm;

export const weeklyWindow = z
  .object({ weekday: z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)'), start: timeOfDay, end: timeOfDay })
  .refine((w) => toMinutes(w.start) < toMinutes(w.end), { message: 'end must be after start', path: ['end'] });

/** Windows of the same weekday must not overlap; returns the index of the first offender. */
export function firstOverlap(windows: { weekday: number; start: string; end: string }[]): number | null {
  for (let i = 0; i < windows.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = windows[i];
      const b = windows[j];
      if (a.weekday === b.weekday && toMinutes(a.start) < toMinutes(b.end) && toMinutes(b.start) < toMinutes(a.end)) return i;
    }
  }
  return null;
}

export function parse<T>(schema: z.ZodType<T>, value: unknown, prefix = 'input'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZod(result.error, prefix);
  return result.data;
}

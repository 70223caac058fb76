import type ICALModule from 'ical.js' with { 'resolution-mode': 'import' };
import nodeIcal from 'node-ical';

// ical.js 2 is an ES module with a CommonJS build; the tests run as CommonJS (swc), so it is required.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL = require('ical.js') as typeof ICALModule;

/** One event as a parser read it. */
export interface Parsed {
  uid: string;
  sequence: number;
  start: number;
  end: number;
  summary: string;
  location: string;
}

/** ical.js: the feed's own VTIMEZONEs registered, as a calendar application does. */
export function parseWithIcalJs(text: string): Parsed[] {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      sequence: e.sequence,
      start: e.startDate.toJSDate().getTime(),
      end: e.endDate.toJSDate().getTime(),
      summary: e.summary,
      location: e.location,
    };
  });
}

export function parseWithNodeIcal(text: string): Parsed[] {
  const data = nodeIcal.sync.parseICS(text);
  return Object.values(data)
    .filter((c): c is nodeIcal.VEvent => c?.type === 'VEVENT')
    .map((e) => ({
      uid: e.uid,
      sequence: Number(e.sequence),
      start: new Date(e.start as Date).getTime(),
      end: new Date(e.end as Date).getTime(),
      summary: typeof e.summary === 'string' ? e.summary : String((e.summary as { val: string }).val),
      location: typeof e.location === 'string' ? e.location : String((e.location as unknown as { val: string }).val),
    }));
}

export const byStart = (a: Parsed, b: Parsed) => a.start - b.start;

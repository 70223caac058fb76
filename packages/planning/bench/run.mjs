// Benchmark of the planning engine, run against the build in dist/ (`npm run bench` builds first).
// Prints plans proposed per second and schedules expanded per second, each with a ratio against a
// baseline measured in the same run (intake validation alone). Uses only performance.now().
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const distIndex = join(here, '..', 'dist', 'index.js');
if (!existsSync(distIndex)) {
  console.error('dist/ is missing: run `npm run build -w @fascia/planning` first (npm run bench does it for you).');
  process.exit(1);
}
const require = createRequire(import.meta.url);
const { validateIntake, proposePlan, expandSchedule, nextStep } = require(distIndex);

const NOW = '2026-03-02T10:00:00Z';
const BUDGET_MS = Number(process.env.BENCH_MS ?? 700);

const base = {
  age: 45,
  generalHealth: 'good',
  pressureTolerance: 'firm',
  medications: [],
  lifestyle: { activity: 'moderate', workPosture: 'desk', stress: 5, sleep: 'fair' },
  goals: ['pain-relief', 'mobility'],
  commitment: { sessionsPerWeek: 2 },
  selfCareWillingness: 'some',
  health: {},
};
const intakes = [
  { ...base, complaints: [{ id: 'n', region: 'neck', side: 'central', onsetDate: '2025-01-01', cause: 'posture', painNow: 6, painWorst: 8 }], function: { ndi: 20 } },
  { ...base, complaints: [{ id: 'b', region: 'lower-back', side: 'central', onsetDate: '2024-06-01', cause: 'unknown', painNow: 7, painWorst: 9 }], function: { odi: 34, psfs: [{ activity: 'lifting', score: 3 }] } },
  { ...base, complaints: [{ id: 'c', region: 'calf', side: 'left', onsetDate: '2026-02-25', cause: 'strain', painNow: 4, painWorst: 6 }], function: {} },
  { ...base, age: 72, conditions: ['osteoarthritis'], complaints: [{ id: 'k', region: 'knee', side: 'right', onsetDate: '2023-01-01', cause: 'unknown', painNow: 5, painWorst: 7 }], medications: [{ name: 'apixaban', class: 'anticoagulant' }] },
];

function measure(label, fn) {
  for (let i = 0; i < 200; i++) fn(i); // warm-up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < BUDGET_MS) {
    for (let i = 0; i < 50; i++) fn(n++);
    t = performance.now();
  }
  const perSec = (n * 1000) / (t - t0);
  return { label, perSec };
}

const plans = intakes.map((i) => proposePlan(i, { now: NOW }));
const week = (start, end, days = [1, 2, 3, 4, 5]) => days.map((weekday) => ({ weekday, start, end }));
const scheduleInput = (plan, zone) => ({
  plan,
  timeZone: zone,
  availability: week('09:00', '17:00'),
  openingHours: week('08:00', '19:00'),
  avoidDates: ['2026-04-03', '2026-04-06'],
  preferences: { weekdays: [2, 4], times: [{ start: '10:00', end: '13:00' }] },
  startFrom: '2026-03-02',
  maintenanceVisits: 3,
});
const zones = ['America/New_York', 'Europe/London'];

const results = [
  measure('baseline: validateIntake', (i) => validateIntake(intakes[i % intakes.length], { now: NOW })),
  measure('proposePlan', (i) => proposePlan(intakes[i % intakes.length], { now: NOW })),
  measure('expandSchedule', (i) => expandSchedule(scheduleInput(plans[i % 2], zones[(i >> 1) % 2]))),
  measure('nextStep', (i) =>
    nextStep({ plan: plans[i % 2], sessionsCompleted: 4, reassessment: { measures: plans[i % 2].baseline }, now: '2026-04-01T10:00:00Z' }),
  ),
];
const baseline = results[0].perSec;
const slots = expandSchedule(scheduleInput(plans[0], zones[0])).slots.length + expandSchedule(scheduleInput(plans[1], zones[0])).slots.length;

console.log(`@fascia/planning benchmark (${BUDGET_MS} ms per measure, Node ${process.version})`);
for (const r of results) {
  console.log(`${r.label.padEnd(28)} ${Math.round(r.perSec).toLocaleString('en-US').padStart(10)} /s   ×${(r.perSec / baseline).toFixed(3)} of baseline`);
}
console.log(`plans proposed per second:      ${Math.round(results[1].perSec)}`);
console.log(`schedules expanded per second:  ${Math.round(results[2].perSec)} (about ${Math.round(slots / 2)} slots each)`);

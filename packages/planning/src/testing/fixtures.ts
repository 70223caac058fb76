import type { IntakeInput } from '../intake';

/** Fixed `now` for the tests. */
export const NOW = '2026-03-02T10:00:00Z';

/** A chronic low-back client with moderate pain; override fields per test row. */
export function baseIntake(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    age: 45,
    generalHealth: 'good',
    complaints: [{ id: 'lb', region: 'lower-back', side: 'central', onsetDate: '2025-06-01', cause: 'posture', painNow: 5, painWorst: 7 }],
    conditions: [],
    function: { psfs: [{ activity: 'gardening', score: 4 }], odi: 30 },
    pressureTolerance: 'firm',
    medications: [],
    lifestyle: { activity: 'moderate', workPosture: 'mixed', stress: 4, sleep: 'good' },
    goals: ['pain-relief', 'mobility'],
    commitment: { sessionsPerWeek: 2 },
    selfCareWillingness: 'some',
    health: {},
    ...overrides,
  };
}

import fc from 'fast-check';

/** Any lifestyle an intake can record (shared by the property tests). */
export const lifestyleArb = fc.record({
  activity: fc.constantFrom('sedentary', 'light', 'moderate', 'high' as const),
  workPosture: fc.constantFrom('desk', 'standing', 'manual', 'driving', 'mixed', 'not-working' as const),
  stress: fc.integer({ min: 0, max: 10 }),
  sleep: fc.constantFrom('good', 'fair', 'poor' as const),
});

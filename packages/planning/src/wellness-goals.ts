import type { Goal } from './intake';

/** Goals that make a plan without a complaint possible (a wellness plan). */
export const WELLNESS_GOALS: readonly Goal[] = ['relaxation', 'maintenance'];

/** An intake may list no complaint when one of its goals is relaxation or maintenance and none is pain relief. */
export function allowsNoComplaint(goals: unknown): boolean {
  if (!Array.isArray(goals)) return false;
  return goals.some((g) => (WELLNESS_GOALS as readonly unknown[]).includes(g)) && !goals.includes('pain-relief');
}

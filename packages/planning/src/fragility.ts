/**
 * Fragility (issue 11, item 5): pressure caps and clearance for osteoporosis and frailty, a cap
 * over fresh injuries, and no massage of an avoided area (a recent surgery or fracture site, an open
 * wound, a calf with a sign of a clot) — neither by the therapist's techniques nor by the client's
 * own self-massage.
 *
 * | rule | trigger | limit | source |
 * | --- | --- | --- | --- |
 * | clearance.fragile-bone | osteoporosis (ticked or by its medication) with age 65+, frailty, a fragility fracture or corticosteroids | light; no deep tissue, trigger point, cupping, scraping; physician's clearance | clinical practice |
 * | modify.osteoporosis | osteoporosis otherwise | moderate; no deep tissue, cupping, scraping | clinical practice |
 * | clearance.severe-frailty | Clinical Frailty Scale 7–9 | light; no deep tissue, trigger point, cupping, scraping; physician's clearance | Rockwood 2005 (scale); limit clinical practice |
 * | modify.frailty | Clinical Frailty Scale 5–6, or (scale not given) age 65+ with poor general health | moderate; no deep tissue, cupping, scraping | Rockwood 2005 (scale); limit clinical practice |
 * | fresh injury ≤ 3 days (72 h) | acute sprain/strain/sport/trauma complaint | light on that complaint | Dubois 2020 (protect for 1–3 days) |
 * | fresh injury < 6 weeks | same, 4–41 days | moderate on that complaint (no firm pressure locally) | clinical practice |
 */
import { EvidenceRef, practice } from './evidence';
import type { BodyRegion, Complaint, Intake, PressureTolerance, SiteFinding } from './intake';
import { PRESSURE_TOLERANCES } from './intake';
import { medicationsIn } from './medications';
import { hasOsteoporosis, OLDER_AGE } from './red-flags';
import { safetyStudy } from './safety-sources';
import type { ScreeningRule } from './screening';
import { HomeCareItem, Technique, TECHNIQUE_MIN_PRESSURE, TechniqueSelection } from './techniques';

const fragilePractice = (why: string): EvidenceRef =>
  practice(`${why} Pressure limits for fragile bone and frail clients are clinical practice (massage pathology teaching); no trial backs the exact limit.`, 'individualDifferences');

/** Frailty grade: 'severe' (CFS 7–9), 'frail' (CFS 5–6, or age 65+ with poor health when no scale is given), or undefined. */
export function frailty(i: Intake): 'severe' | 'frail' | undefined {
  const cfs = i.health.clinicalFrailtyScale;
  if (cfs !== undefined) return cfs >= 7 ? 'severe' : cfs >= 5 ? 'frail' : undefined;
  return i.age >= OLDER_AGE && i.generalHealth === 'poor' ? 'frail' : undefined;
}

const fragileBone = (i: Intake): string[] | undefined => {
  if (!hasOsteoporosis(i)) return undefined;
  const why = [
    i.age >= OLDER_AGE ? `age ${i.age}` : '',
    frailty(i) ? 'frailty' : '',
    i.health.previousFragilityFracture ? 'a previous fragility fracture' : '',
    medicationsIn(i.medications, ['corticosteroid']).length ? 'corticosteroids' : '',
  ].filter(Boolean);
  return why;
};

export const fragilityRules: readonly ScreeningRule[] = [
  {
    id: 'clearance.fragile-bone',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: `Osteoporosis with age ${OLDER_AGE}+, frailty, a previous fragility fracture or corticosteroids`,
    referTo: 'physician',
    urgency: 'routine',
    modification: {
      maxPressure: 'light',
      excludeTechniques: ['deep-tissue', 'trigger-point', 'cupping', 'scraping'],
      clearanceFrom: 'physician',
      note: 'No pressure over the spine and ribs; side-lying or seated if lying face down is uncomfortable.',
    },
    evidence: fragilePractice('Osteoporotic bone in an older or frail client can fracture under moderate pressure (ribs, spine).'),
    check: (i) => {
      const why = fragileBone(i);
      return why && why.length ? [{ finding: `Osteoporosis with ${why.join(', ')}: light pressure only, and your doctor clears treatment first.` }] : [];
    },
  },
  {
    id: 'modify.osteoporosis',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Osteoporosis (ticked, or implied by osteoporosis medication)',
    modification: { maxPressure: 'moderate', excludeTechniques: ['deep-tissue', 'cupping', 'scraping'] },
    evidence: fragilePractice('Fragile bones can fracture under firm pressure, especially over the ribs and spine.'),
    check: (i) => {
      const why = fragileBone(i);
      return why && why.length === 0 ? [{ finding: 'Osteoporosis: no firm pressure over bones.' }] : [];
    },
  },
  {
    id: 'clearance.severe-frailty',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Severe frailty (Clinical Frailty Scale 7–9)',
    referTo: 'physician',
    urgency: 'routine',
    modification: { maxPressure: 'light', excludeTechniques: ['deep-tissue', 'trigger-point', 'cupping', 'scraping'], clearanceFrom: 'physician' },
    evidence: safetyStudy('rockwood2005'),
    check: (i) =>
      frailty(i) === 'severe'
        ? [{ finding: `Severe frailty (Clinical Frailty Scale ${i.health.clinicalFrailtyScale}): light pressure only, with your doctor's clearance.` }]
        : [],
  },
  {
    id: 'modify.frailty',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: `Frailty (Clinical Frailty Scale 5–6, or age ${OLDER_AGE}+ with poor general health when the scale is not given)`,
    modification: { maxPressure: 'moderate', excludeTechniques: ['deep-tissue', 'cupping', 'scraping'] },
    evidence: safetyStudy('rockwood2005'),
    check: (i) =>
      frailty(i) === 'frail'
        ? [
            {
              finding:
                i.health.clinicalFrailtyScale !== undefined
                  ? `Frailty (Clinical Frailty Scale ${i.health.clinicalFrailtyScale}): pressure at most moderate.`
                  : `Age ${i.age} with poor general health: pressure at most moderate.`,
            },
          ]
        : [],
  },
];

// ---------- local limits: fresh injuries and avoided areas ----------

/** Days within which a fresh injury is only touched lightly (72 hours: the first 1–3 days). */
export const FRESH_INJURY_DAYS = 3;
/** Days of the acute phase, during which no firm pressure is used on the injury. */
export const ACUTE_INJURY_DAYS = 42;
const INJURY_CAUSES = ['sprain', 'strain', 'sport', 'trauma'];

export interface LocalCap {
  complaintId: string;
  maxPressure: PressureTolerance;
  reason: string;
  evidence: EvidenceRef;
}

/** The pressure cap over each freshly injured complaint. */
export function localPressureCaps(i: Intake): LocalCap[] {
  const out: LocalCap[] = [];
  for (const c of i.complaints) {
    if (!INJURY_CAUSES.includes(c.cause)) continue;
    if (c.onsetDays <= FRESH_INJURY_DAYS) {
      out.push({
        complaintId: c.id,
        maxPressure: 'light',
        reason: `Injured ${c.onsetDays} day(s) ago: only light touch on it for the first 72 hours.`,
        evidence: safetyStudy('dubois2020'),
      });
    } else if (c.onsetDays < ACUTE_INJURY_DAYS) {
      out.push({
        complaintId: c.id,
        maxPressure: 'moderate',
        reason: `Injured ${c.onsetDays} days ago: no firm pressure on healing tissue in the first 6 weeks.`,
        evidence: practice('No firm pressure over an injury in its acute phase (under 6 weeks). Clinical practice; no trial backs this number.', 'injury'),
      });
    }
  }
  return out;
}

const pIdx = (p: PressureTolerance): number => PRESSURE_TOLERANCES.indexOf(p);

/** Whether a complaint (or a body site) lies in an avoided area: the same region, and the same side or either side both/central. */
export function inArea(site: { region: BodyRegion; side: SiteFinding['side'] }, area: SiteFinding): boolean {
  if (site.region !== area.region) return false;
  return site.side === area.side || [site.side, area.side].some((s) => s === 'bilateral' || s === 'central');
}

/**
 * Applies the local limits to a technique selection: no technique on a complaint in an avoided
 * area, and pressure over a fresh injury capped (a technique needing more is excluded).
 */
export function applyLocalLimits(sel: TechniqueSelection, i: Intake, avoidAreas: readonly SiteFinding[]): TechniqueSelection {
  const caps = localPressureCaps(i);
  const chosen: TechniqueSelection['chosen'] = [];
  const excluded = [...sel.excluded];
  for (const t of sel.chosen) {
    const c: Complaint | undefined = i.complaints.find((x) => x.id === t.complaintId);
    const area = c && avoidAreas.find((a) => inArea(c, a));
    if (area) {
      excluded.push({ complaintId: t.complaintId, technique: t.technique, reason: `The ${area.side} ${area.region} is not massaged (screening).` });
      continue;
    }
    const cap = caps.find((x) => x.complaintId === t.complaintId);
    if (!cap) {
      chosen.push(t);
      continue;
    }
    if (pIdx(TECHNIQUE_MIN_PRESSURE[t.technique as Technique]) > pIdx(cap.maxPressure)) {
      excluded.push({ complaintId: t.complaintId, technique: t.technique, reason: `${cap.reason} This technique needs more pressure.` });
      continue;
    }
    if (pIdx(t.pressure) > pIdx(cap.maxPressure)) {
      chosen.push({ ...t, pressure: cap.maxPressure, reason: `${t.reason} ${cap.reason}` });
    } else chosen.push(t);
  }
  return { chosen, excluded };
}

/** Home care without self-massage on an avoided area (its own complaint's, or one naming it, e.g. "thigh and calf"). */
export function applyLocalLimitsToHomeCare(items: readonly HomeCareItem[], i: Intake, avoidAreas: readonly SiteFinding[]): HomeCareItem[] {
  if (avoidAreas.length === 0) return [...items];
  return items.filter((it) => {
    if (it.kind !== 'self-massage') return true;
    const c = i.complaints.find((x) => x.id === it.complaintId);
    if (c && avoidAreas.some((a) => inArea(c, a))) return false;
    return !avoidAreas.some((a) => it.description.toLowerCase().includes(a.region.replace('-', ' ')));
  });
}

/** The local limit on one complaint: the avoided area it lies in, or the pressure cap over a fresh injury. */
export function complaintLimit(i: Intake, avoidAreas: readonly SiteFinding[], complaintId: string): { avoid?: SiteFinding; cap?: LocalCap } {
  const c = i.complaints.find((x) => x.id === complaintId);
  if (!c) return {};
  const avoid = avoidAreas.find((a) => inArea(c, a));
  const cap = localPressureCaps(i).find((x) => x.complaintId === complaintId);
  return { ...(avoid ? { avoid } : {}), ...(cap ? { cap } : {}) };
}

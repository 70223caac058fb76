/**
 * Published sources behind the safety rules of issue 11 (red flags, medications, fragility,
 * new or worsening pain). Kept apart from `STUDY` in evidence.ts so the two lists can grow
 * independently; each has the same shape (`kind: 'trial'`, a design, a citation, a finding).
 */
import type { EvidenceRef } from './evidence';

export const SAFETY_STUDY = {
  wells1997: {
    kind: 'trial',
    design: 'measurement study',
    citation:
      'Wells PS, Anderson DR, Bormanis J, et al. Value of assessment of pretest probability of deep-vein thrombosis in clinical management. Lancet. 1997;350(9094):1795-1798.',
    finding:
      'A clinical score of signs (calf swelling, pitting oedema, localised tenderness along the deep veins, leg swelling) and risk factors (active cancer, recent surgery or immobilisation, plaster cast) sorts suspected DVT into low, moderate and high probability.',
  },
  wells2003: {
    kind: 'trial',
    design: 'randomised trial',
    citation:
      'Wells PS, Anderson DR, Rodger M, et al. Evaluation of D-dimer in the diagnosis of suspected deep-vein thrombosis. N Engl J Med. 2003;349(13):1227-1235.',
    finding: 'The modified Wells score adds a previously documented DVT (+1); a score of 2 or more means DVT is "likely".',
  },
  niceNg158: {
    kind: 'trial',
    design: 'guideline',
    citation:
      'National Institute for Health and Care Excellence. Venous thromboembolic diseases: diagnosis, management and thrombophilia testing (NG158). London: NICE; 2020.',
    finding: 'Suspected DVT is assessed with the two-level Wells score; "DVT likely" (2 or more) needs a leg-vein ultrasound within 4 hours.',
  },
  niceNg59: {
    kind: 'trial',
    design: 'guideline',
    citation: 'National Institute for Health and Care Excellence. Low back pain and sciatica in over 16s: assessment and management (NG59). London: NICE; 2016.',
    finding: 'Exclude specific causes of low back pain (cancer, infection, trauma, inflammatory disease such as spondyloarthritis) and cauda equina syndrome before treating it as non-specific.',
  },
  finucane2020: {
    kind: 'trial',
    design: 'guideline',
    citation:
      'Finucane LM, Downie A, Mercer C, et al. International framework for red flags for potential serious spinal pathologies. J Orthop Sports Phys Ther. 2020;50(7):350-372.',
    finding:
      'Cauda equina syndrome (bladder or bowel change, saddle numbness), spinal infection (fever), malignancy (history of cancer, unexplained weight loss) and fracture (significant trauma, older age, osteoporosis, long-term corticosteroids) are the red flags to screen for; an emergency referral for suspected cauda equina.',
  },
  downie2013: {
    kind: 'trial',
    design: 'systematic review',
    citation:
      'Downie A, Williams CM, Henschke N, et al. Red flags to screen for malignancy and fracture in patients with low back pain: systematic review. BMJ. 2013;347:f7095.',
    finding: 'Older age, prolonged corticosteroid use, severe trauma and a contusion or abrasion raise the probability of a spinal fracture in back pain.',
  },
  rockwood2005: {
    kind: 'trial',
    design: 'measurement study',
    citation:
      'Rockwood K, Song X, MacKnight C, et al. A global clinical measure of fitness and frailty in elderly people. CMAJ. 2005;173(5):489-495.',
    finding: 'The Clinical Frailty Scale (1 very fit – 7 severely frail, extended to 9) grades frailty by clinical judgement; 5 and above is frail.',
  },
  dubois2020: {
    kind: 'trial',
    design: 'guideline',
    citation: 'Dubois B, Esculier JF. Soft-tissue injuries simply need PEACE and LOVE. Br J Sports Med. 2020;54(2):72-73.',
    finding: 'Protect a fresh soft-tissue injury for the first 1–3 days (unload, restrict movement) to limit bleeding and avoid distending injured fibres.',
  },
} as const satisfies Record<string, EvidenceRef & { kind: 'trial' }>;

export type SafetyStudyKey = keyof typeof SAFETY_STUDY;

export function safetyStudy(key: SafetyStudyKey): EvidenceRef {
  return SAFETY_STUDY[key];
}

/**
 * Evidence behind every number in a plan.
 *
 * Three kinds, and only three:
 * - `seed`: a sentence quoted verbatim from one of the source documents in `/shared/seeds`.
 * - `trial`: a published study (randomised trial, systematic review or measurement study —
 *   `design` says which), cited so a reader can find it.
 * - `clinical-practice`: a choice made by clinical convention. The `statement` says plainly
 *   that no trial backs the number; a seed sentence that describes the practice may be attached.
 */

export type SeedFile =
  | '000_4ebec04e86095880.txt'
  | '001_1a27680e51b9f122.txt'
  | '002_3d42c194f5f5fefd.txt'
  | '003_7e1ef6efea98f03b.txt'
  | '004_416bb208d7fb7e85.txt';

export interface SeedQuote {
  file: SeedFile;
  /** The sentence, verbatim from the seed document. */
  quote: string;
}

export type StudyDesign = 'randomised trial' | 'systematic review' | 'measurement study' | 'guideline';

export type EvidenceRef =
  | ({ kind: 'seed' } & SeedQuote)
  | { kind: 'trial'; citation: string; design: StudyDesign; finding: string }
  | { kind: 'clinical-practice'; statement: string; seed?: SeedQuote };

/** A number in a plan: its value, a reason a client can read, and where it comes from. */
export interface Reasoned<T> {
  value: T;
  reason: string;
  evidence: EvidenceRef;
}

/** A count or duration stated as a range. Invariant: min <= likely <= max. */
export interface Range {
  min: number;
  likely: number;
  max: number;
}

export function reasoned<T>(value: T, reason: string, evidence: EvidenceRef): Reasoned<T> {
  return { value, reason, evidence };
}

/** Verbatim sentences from the seed documents that the rules rely on. */
export const SEED = {
  acuteFewSessions: {
    file: '000_4ebec04e86095880.txt',
    quote: 'In just a few sessions, you may find relief for acute pain from recent injuries or muscle strain.',
  },
  chronicExtended: {
    file: '000_4ebec04e86095880.txt',
    quote: 'On the other hand, chronic pain conditions, such as fibromyalgia or arthritis, may benefit from an extended treatment plan.',
  },
  individualDifferences: {
    file: '000_4ebec04e86095880.txt',
    quote: 'Age, general health, and forbearance to massage pressure can impact the number of therapeutic massage sessions needed.',
  },
  initialFrequent: {
    file: '000_4ebec04e86095880.txt',
    quote: 'Initially, more frequent sessions, such as weekly or bi-weekly, may be required to resolve acute pain or specific issues.',
  },
  lowerToMonthly: {
    file: '000_4ebec04e86095880.txt',
    quote: 'As your situation improves, you can lower the frequency to once a month for maintenance.',
  },
  goals: {
    file: '000_4ebec04e86095880.txt',
    quote: 'Your therapist can personalize the therapy plan accordingly concerning the number of sessions needed.',
  },
  lifestyle: {
    file: '000_4ebec04e86095880.txt',
    quote:
      "Your daily activities, stance, and self-care practices outside of massage sessions can either complement or inhibit the efficacy of the therapy.",
  },
  selfCare: {
    file: '000_4ebec04e86095880.txt',
    quote:
      "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required.",
  },
  swedish: {
    file: '000_4ebec04e86095880.txt',
    quote: 'Swedish Massage: This technique involves long, gliding strokes and kneading to promote relaxation and improve circulation.',
  },
  deepTissue: {
    file: '000_4ebec04e86095880.txt',
    quote: 'Deep Tissue Massage: Deep tissue massage targets deeper layers of muscle tissue to release chronic tension and alleviate pain.',
  },
  triggerPoint: {
    file: '000_4ebec04e86095880.txt',
    quote: 'Trigger Point Therapy: Therapists apply pressure to specific muscle trigger points to release knots and reduce pain.',
  },
  myofascial: {
    file: '000_4ebec04e86095880.txt',
    quote:
      'Myofascial Release: This therapeutic massage technique focuses on stretching and releasing the fascia, the connective tissue surrounding muscles, to improve mobility and reduce pain.',
  },
  stretching: {
    file: '000_4ebec04e86095880.txt',
    quote: 'Stretching: Your therapist may incorporate assisted stretching to improve flexibility and reduce muscle tightness.',
  },
  hotCold: {
    file: '000_4ebec04e86095880.txt',
    quote: 'Hot/Cold Therapy: Heat or cold packs can be combined with massage to reduce inflammation and alleviate pain.',
  },
  pressureComms: {
    file: '000_4ebec04e86095880.txt',
    quote: 'If you experience discomfort or if the pressure is too intense, be sure to communicate your preferences.',
  },
  chronicConditions: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'For conditions like fibromyalgia, arthritis, or chronic low back pain, massage can be used.',
  },
  injury: {
    file: '001_1a27680e51b9f122.txt',
    quote:
      'If you’ve experienced an injury, such as a sprain or strain, massage might be part of a plan to help manage pain and support your body’s healing process.',
  },
  chronicWeekly2to4: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'For chronic pain, initial treatments might involve sessions once a week for about 2 to 4 weeks.',
  },
  maintenance1to3: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'Following this initial period, maintenance visits could be scheduled anywhere from once every 1 to 3 months.',
  },
  frequencyBySeverity: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'The frequency is guided by how you respond to treatment and how severe your condition is.',
  },
  frequencyDecreases: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'Over time, the frequency of visits may decrease.',
  },
  monthlyOrAsNeeded: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'You might move to monthly sessions or visits that are scheduled as needed for maintenance.',
  },
  postureGuidance: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'Therapists can also offer guidance on posture and movement.',
  },
  reassessmentsKey: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'Regular re-assessments by your therapist are key.',
  },
  collaboration: {
    file: '001_1a27680e51b9f122.txt',
    quote:
      'Collaboration with other healthcare practitioners, such as acupuncturists, physical therapists, or pain management specialists, can create a more comprehensive approach to managing your pain.',
  },
  commitWeekly: {
    file: '001_1a27680e51b9f122.txt',
    quote:
      'Consider if you are able to commit to initial weekly sessions for a few weeks, as this is often recommended for establishing momentum in your care.',
  },
  adherence: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'Your ability to adhere to the recommended frequency and guidance also plays a role.',
  },
  stressFactor: {
    file: '001_1a27680e51b9f122.txt',
    quote: 'It may be particularly helpful if stress and anxiety are factors.',
  },
  pressureTolerated: {
    file: '002_3d42c194f5f5fefd.txt',
    quote:
      'Your treatment will be tailored to meet your individual needs on the day of your treatment, taking into account your personal level of discomfort at that time, how much pressure you can tolerate and where the pain is located.',
  },
  healthQuestions: {
    file: '002_3d42c194f5f5fefd.txt',
    quote:
      'During this first session, they will probably ask you a series of general health questions to get a clear picture of any existing medical conditions you might have or any medications you’re taking at the time.',
  },
  triggerPointCycles: {
    file: '002_3d42c194f5f5fefd.txt',
    quote: 'This is implemented to help relax the source of the spasm through cycles of pressure and release 출장마사지.',
  },
  reviewedEachTime: {
    file: '002_3d42c194f5f5fefd.txt',
    quote:
      'Only your therapist would be able to determine the most effective way to treat this – but what worked in your first session may be too gentle or too pressurizing in your subsequent session, so your condition will be carefully reviewed each time.',
  },
  advancedTechniques: {
    file: '003_7e1ef6efea98f03b.txt',
    quote:
      'Advanced techniques such as myofascial release, deep tissue massage, trigger point therapy, scraping massage, and cupping – all focused on addressing short term or chronic ailments may be used and require a different skill set and expertise.',
  },
  intakeInDepth: {
    file: '003_7e1ef6efea98f03b.txt',
    quote: 'Both past and current health issues are discussed and a plan of action is established.',
  },
  underControl: {
    file: '003_7e1ef6efea98f03b.txt',
    quote: 'This may take anywhere from a few weeks to a few months depending on the client and the area or areas being addressed.',
  },
  baseline: {
    file: '003_7e1ef6efea98f03b.txt',
    quote:
      'Having an in-depth evaluation allows both the client and therapist to understand the baseline or beginning point.',
  },
  benchmarks: {
    file: '003_7e1ef6efea98f03b.txt',
    quote:
      'Periodic assessments and benchmarks allow the client and therapist to track the progress of the treatments and to make any necessary adjustments as time progresses.',
  },
  doAndDont: {
    file: '003_7e1ef6efea98f03b.txt',
    quote:
      'Your therapist may also make suggestions about what to do and not to do during the treatment period to enhance the benefits and to limit any further harm or injury.',
  },
  talkToDoctor: {
    file: '003_7e1ef6efea98f03b.txt',
    quote: 'Open communication between all your health care providers will ensure the best possible results.',
  },
  preventRecurrence: {
    file: '004_416bb208d7fb7e85.txt',
    quote:
      '- Preventing Recurrence of Pain: Regular massage therapy can help maintain the benefits achieved during initial treatment phases, preventing the recurrence of pain and related issues.',
  },
  ongoingAssessments: {
    file: '004_416bb208d7fb7e85.txt',
    quote:
      '- Customized Treatment Plans: Ongoing assessments by a qualified therapist allow for adjustments to the treatment plan, ensuring it remains effective as the individual’s needs change.',
  },
  sportRecovery: {
    file: '004_416bb208d7fb7e85.txt',
    quote: '- Support for Active Recovery: Post-exercise massage can reduce soreness and speed up recovery, keeping individuals pain-free and ready for their next workout.',
  },
} as const satisfies Record<string, SeedQuote>;

export type SeedKey = keyof typeof SEED;

export function seed(key: SeedKey): EvidenceRef {
  return { kind: 'seed', ...SEED[key] };
}

/** Published studies the rules cite. Only studies whose existence and finding we are sure of. */
export const STUDY = {
  sherman2014: {
    kind: 'trial',
    design: 'randomised trial',
    citation:
      'Sherman KJ, Cook AJ, Wellman RD, et al. Five-week outcomes from a dosing trial of therapeutic massage for chronic neck pain. Ann Fam Med. 2014;12(2):112-120.',
    finding:
      'For chronic neck pain, 60-minute sessions two or three times a week for 4 weeks gave better short-term results than 30-minute sessions.',
  },
  cherkin2011: {
    kind: 'trial',
    design: 'randomised trial',
    citation:
      'Cherkin DC, Sherman KJ, Kahn J, et al. A comparison of the effects of 2 types of massage and usual care on chronic low back pain: a randomized, controlled trial. Ann Intern Med. 2011;155(1):1-9.',
    finding: 'Ten weekly massage sessions (structural or relaxation) improved function in chronic low back pain more than usual care.',
  },
  perlman2012: {
    kind: 'trial',
    design: 'randomised trial',
    citation:
      'Perlman AI, Ali A, Njike VY, et al. Massage therapy for osteoarthritis of the knee: a randomized dose-finding trial. PLoS One. 2012;7(2):e30248.',
    finding: 'For knee osteoarthritis, 60-minute sessions were the optimal dose; once weekly was chosen as effective and practical over 8 weeks.',
  },
  furlan2015: {
    kind: 'trial',
    design: 'systematic review',
    citation: 'Furlan AD, Giraldo M, Baskwill A, Irvin E, Imamura M. Massage for low-back pain. Cochrane Database Syst Rev. 2015;(9):CD001929.',
    finding: 'Massage may improve low back pain in the short term; evidence for lasting effects is weak, so progress should be re-checked.',
  },
  li2014: {
    kind: 'trial',
    design: 'systematic review',
    citation:
      'Li YH, Wang FY, Feng CQ, Yang XF, Sun YH. Massage therapy for fibromyalgia: a systematic review and meta-analysis of randomized controlled trials. PLoS One. 2014;9(2):e89304.',
    finding: 'In fibromyalgia, massage given for 5 weeks or longer improved pain, anxiety and depression.',
  },
  farrar2001: {
    kind: 'trial',
    design: 'measurement study',
    citation:
      'Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain. 2001;94(2):149-158.',
    finding: 'A drop of about 2 points or 30 % on the 0–10 pain scale is what patients experience as a meaningful improvement.',
  },
  stratford1995: {
    kind: 'trial',
    design: 'measurement study',
    citation:
      'Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual patients: a report of a patient specific measure. Physiother Can. 1995;47(4):258-263.',
    finding: 'The Patient-Specific Functional Scale (0–10 per activity); a change of about 2 points is taken as clinically meaningful.',
  },
  ostelo2008: {
    kind: 'trial',
    design: 'measurement study',
    citation:
      'Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and functional status in low back pain: towards international consensus regarding minimal important change. Spine. 2008;33(1):90-94.',
    finding: 'For low back pain, an Oswestry Disability Index change of 10 points or 30 % is the minimal important change.',
  },
  serlin1995: {
    kind: 'trial',
    design: 'measurement study',
    citation:
      'Serlin RC, Mendoza TR, Nakamura Y, Edwards KR, Cleeland CS. When is cancer pain mild, moderate or severe? Grading pain severity by its interference with function. Pain. 1995;61(2):277-284.',
    finding: 'On the 0–10 scale, 1–4 is mild, 5–6 moderate and 7–10 severe pain, by how much it interferes with daily life.',
  },
} as const satisfies Record<string, EvidenceRef & { kind: 'trial' }>;

export type StudyKey = keyof typeof STUDY;

export function study(key: StudyKey): EvidenceRef {
  return STUDY[key];
}

export function practice(statement: string, seedKey?: SeedKey): EvidenceRef {
  const text = /no trial/i.test(statement) ? statement : `${statement} Clinical practice; no trial backs this number.`;
  return seedKey ? { kind: 'clinical-practice', statement: text, seed: SEED[seedKey] } : { kind: 'clinical-practice', statement: text };
}

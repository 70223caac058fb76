import type { EvidenceRef, ScreeningFinding } from '@fascia/planning';
import { JSONObjectResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

/** Where a number or finding comes from: a seed sentence, a published study, or clinical practice. */
@ObjectType('Evidence')
export class EvidenceType {
  @Field({ description: 'SEED, TRIAL or CLINICAL_PRACTICE' }) kind: string;
  @Field({ description: 'The quote, the finding of the study, or the practice statement' }) text: string;
  @Field(() => String, { nullable: true, description: 'Seed file, or the citation of the study' }) source: string | null;
  @Field(() => String, { nullable: true, description: 'Verbatim seed sentence' }) quote: string | null;
  @Field(() => String, { nullable: true }) citation: string | null;
  @Field(() => String, { nullable: true, description: 'randomised trial, systematic review, measurement study or guideline' }) design: string | null;
  @Field(() => String, { nullable: true, description: 'Clinical-practice statement (says when no trial backs the number)' }) statement: string | null;
}

export function toEvidence(e: EvidenceRef): EvidenceType {
  switch (e.kind) {
    case 'seed':
      return { kind: 'SEED', text: e.quote, source: e.file, quote: e.quote, citation: null, design: null, statement: null };
    case 'trial':
      return { kind: 'TRIAL', text: e.finding, source: e.citation, quote: null, citation: e.citation, design: e.design, statement: null };
    case 'clinical-practice':
      return {
        kind: 'CLINICAL_PRACTICE',
        text: e.statement,
        source: e.seed?.file ?? null,
        quote: e.seed?.quote ?? null,
        citation: null,
        design: null,
        statement: e.statement,
      };
  }
}

@ObjectType('BodySite')
export class BodySiteType {
  @Field() region: string;
  @Field() side: string;
}

@ObjectType('ScreeningFinding', { description: 'A screening rule that fired on the intake' })
export class ScreeningFindingType {
  @Field({ description: 'The screening rule id, e.g. red-flag.suspected-dvt' }) rule: string;
  @Field({ description: 'REFER_DO_NOT_TREAT, AVOID_AREA or MODIFY_OR_CLEARANCE' }) outcome: string;
  @Field({ description: 'What was found, in words the client can read' }) finding: string;
  @Field(() => BodySiteType, { nullable: true }) area: BodySiteType | null;
  @Field(() => String, { nullable: true }) referTo: string | null;
  @Field(() => String, { nullable: true }) urgency: string | null;
  @Field(() => String, { nullable: true, description: 'The firmest pressure allowed' }) maxPressure: string | null;
  @Field(() => [String], { description: 'Techniques this finding rules out' }) excludedTechniques: string[];
  @Field(() => String, { nullable: true }) clearanceFrom: string | null;
  @Field(() => EvidenceType) evidence: EvidenceType;
}

export function toFinding(f: ScreeningFinding): ScreeningFindingType {
  return {
    rule: f.ruleId,
    outcome: f.outcome,
    finding: f.finding,
    area: f.area ?? null,
    referTo: f.referTo ?? null,
    urgency: f.urgency ?? null,
    maxPressure: f.modification?.maxPressure ?? null,
    excludedTechniques: f.modification?.excludeTechniques ?? [],
    clearanceFrom: f.modification?.clearanceFrom ?? null,
    evidence: toEvidence(f.evidence),
  };
}

@ObjectType('IntakeComplaint')
export class IntakeComplaintType {
  @Field() id: string;
  @Field({ description: 'A body region; whole-body for widespread pain' }) region: string;
  @Field() side: string;
  @Field({ description: 'Pain all over (as in fibromyalgia), entered once instead of region by region' }) widespread: boolean;
  @Field({ description: 'YYYY-MM-DD' }) onsetDate: string;
  @Field({ description: 'acute, sub-acute or chronic' }) chronicity: string;
  @Field() cause: string;
  @Field(() => Int) painNow: number;
  @Field(() => Int) painWorst: number;
}

@ObjectType('Intake', { simpleResolvers: true, description: "One version of a client's intake, with the screening that ran when it was saved" })
export class IntakeType {
  @Field(() => ID) id: string;
  @Field(() => ID) clientId: string;
  @Field(() => Int) version: number;
  @Field(() => ID) clinicId: string;
  @Field(() => ID) practitionerId: string;
  @Field({ description: 'A do-not-treat finding: no plan may be accepted from this intake' }) blocked: boolean;
  @Field(() => [ScreeningFindingType]) findings: ScreeningFindingType[];
  @Field(() => [IntakeComplaintType]) complaints: IntakeComplaintType[];
  @Field(() => JSONObjectResolver, { description: 'The full validated intake (the planning package\'s Intake)' }) data: Record<string, unknown>;
  @Field(() => ID) createdBy: string;
  @Field() createdAt: Date;
}

@InputType()
export class RecordIntakeInput {
  @Field(() => ID) clientId: string;
  @Field(() => ID) clinicId: string;
  @Field(() => ID, { nullable: true, description: 'Required when the caller is not a practitioner with a practitioner record' })
  practitionerId?: string | null;
  @Field(() => JSONObjectResolver, { description: "The planning package's IntakeInput (see docs/planning-rules.md)" }) intake: Record<string, unknown>;
}

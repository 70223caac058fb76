import { PRESSURE_TOLERANCES, TECHNIQUES, type PressureTolerance, type Technique } from '@fascia/planning';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

const constant = (v: string) => v.toUpperCase().replace(/-/g, '_');

/** The planning package's technique ids ('deep-tissue') as GraphQL enum names (DEEP_TISSUE); values stay the package's. */
export const SessionTechniqueEnum = Object.fromEntries(TECHNIQUES.map((t) => [constant(t), t])) as Record<string, Technique>;
registerEnumType(SessionTechniqueEnum, { name: 'SessionTechnique', description: 'A technique given in a session (the planning package’s technique ids)' });
export const SessionPressureEnum = Object.fromEntries(PRESSURE_TOLERANCES.map((p) => [constant(p), p])) as Record<string, PressureTolerance>;
registerEnumType(SessionPressureEnum, { name: 'SessionPressure', description: 'Pressure: LIGHT, MODERATE, FIRM or DEEP' });

@ObjectType('SessionCheckIn', { description: 'The short check-in at the start of a session' })
export class SessionCheckInType {
  @Field(() => Int, { description: "Today's pain, 0–10" }) painNow: number;
  @Field(() => [String], { description: 'Where it hurts today (body regions)' }) painAreas: string[];
  @Field(() => SessionPressureEnum, { description: "Today's pressure tolerance" }) pressureToday: PressureTolerance;
  @Field(() => String, { nullable: true }) notes: string | null;
}

@ObjectType('SessionTechniqueGiven')
export class SessionTechniqueGivenType {
  @Field(() => SessionTechniqueEnum) technique: Technique;
  @Field(() => SessionPressureEnum) pressure: PressureTolerance;
  @Field(() => [String], { description: 'Body regions worked' }) areas: string[];
  @Field(() => Int, { nullable: true }) minutes: number | null;
}

@ObjectType('Soap', { description: 'SOAP notes' })
export class SoapType {
  @Field(() => String, { nullable: true }) subjective: string | null;
  @Field(() => String, { nullable: true }) objective: string | null;
  @Field(() => String, { nullable: true }) assessment: string | null;
  @Field(() => String, { nullable: true }) plan: string | null;
}

@ObjectType('SessionHomeCare', { description: 'Home care given to the client in this session' })
export class SessionHomeCareType {
  @Field({ description: 'stretch, exercise, self-massage, posture or relaxation' }) kind: string;
  @Field() description: string;
  @Field(() => Int, { nullable: true }) daysPerWeek: number | null;
}

@ObjectType('SessionAddendum', { description: 'A correction to a signed note: who wrote it and when' })
export class SessionAddendumType {
  @Field(() => ID) id: string;
  @Field() body: string;
  @Field(() => ID) authorId: string;
  @Field() createdAt: Date;
}

@ObjectType('SessionNote', { simpleResolvers: true, description: 'One per appointment. Signing makes it immutable; corrections are addenda.' })
export class SessionNoteType {
  @Field(() => ID) id: string;
  @Field(() => ID) appointmentId: string;
  @Field(() => ID) clientId: string;
  @Field(() => ID) practitionerId: string;
  @Field(() => ID, { nullable: true }) planId: string | null;
  @Field(() => SessionCheckInType) checkin: SessionCheckInType;
  @Field(() => [SessionTechniqueGivenType]) techniques: SessionTechniqueGivenType[];
  @Field(() => Int, { nullable: true }) durationMinutes: number | null;
  @Field(() => String, { nullable: true }) clientFeedback: string | null;
  @Field(() => Int, { nullable: true, description: 'Pain after the session, 0–10' }) painAfter: number | null;
  @Field(() => SoapType) soap: SoapType;
  @Field(() => [SessionHomeCareType]) homeCare: SessionHomeCareType[];
  @Field(() => Date, { nullable: true }) signedAt: Date | null;
  @Field(() => ID, { nullable: true }) signedBy: string | null;
  @Field(() => ID) createdBy: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class SessionCheckInInput {
  @Field(() => Int) painNow: number;
  @Field(() => [String]) painAreas: string[];
  @Field(() => SessionPressureEnum) pressureToday: PressureTolerance;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@InputType()
export class SessionTechniqueInput {
  @Field(() => SessionTechniqueEnum) technique: Technique;
  @Field(() => SessionPressureEnum) pressure: PressureTolerance;
  @Field(() => [String]) areas: string[];
  @Field(() => Int, { nullable: true }) minutes?: number | null;
}

@InputType()
export class SoapInput {
  @Field(() => String, { nullable: true }) subjective?: string | null;
  @Field(() => String, { nullable: true }) objective?: string | null;
  @Field(() => String, { nullable: true }) assessment?: string | null;
  @Field(() => String, { nullable: true }) plan?: string | null;
}

@InputType()
export class SessionHomeCareInput {
  @Field() kind: string;
  @Field() description: string;
  @Field(() => Int, { nullable: true }) daysPerWeek?: number | null;
}

@InputType({ description: 'Fields to change; those left out keep their value' })
export class UpdateSessionNoteInput {
  @Field(() => SessionCheckInInput, { nullable: true }) checkin?: SessionCheckInInput | null;
  @Field(() => [SessionTechniqueInput], { nullable: true }) techniques?: SessionTechniqueInput[] | null;
  @Field(() => Int, { nullable: true }) durationMinutes?: number | null;
  @Field(() => String, { nullable: true }) clientFeedback?: string | null;
  @Field(() => Int, { nullable: true }) painAfter?: number | null;
  @Field(() => SoapInput, { nullable: true }) soap?: SoapInput | null;
  @Field(() => [SessionHomeCareInput], { nullable: true }) homeCare?: SessionHomeCareInput[] | null;
}

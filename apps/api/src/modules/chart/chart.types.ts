import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AppointmentType } from '../appointment/appointment.types';
import { ClientType } from '../client/client.types';

export enum TrajectorySource {
  INTAKE = 'INTAKE',
  SESSION_START = 'SESSION_START',
  SESSION_END = 'SESSION_END',
  REASSESSMENT = 'REASSESSMENT',
}
registerEnumType(TrajectorySource, {
  name: 'TrajectorySource',
  description: "Where a point of the pain and function trajectory comes from: the intake's baseline, a session's check-in or its end, a re-assessment",
});

@ObjectType('TrajectoryPoint', { simpleResolvers: true, description: 'One measurement on the client’s pain and function trajectory' })
export class TrajectoryPointType {
  @Field() at: Date;
  @Field(() => TrajectorySource) source: TrajectorySource;
  @Field(() => Float, { nullable: true, description: 'Pain 0–10 (NRS); the mean over complaints where several were scored' })
  painNrs: number | null;
  @Field(() => Float, { nullable: true, description: 'Patient-Specific Functional Scale, mean of its items (0–10)' }) psfs: number | null;
  @Field(() => Float, { nullable: true, description: 'Oswestry Disability Index 0–100' }) odi: number | null;
  @Field(() => Float, { nullable: true, description: 'Neck Disability Index 0–50' }) ndi: number | null;
  @Field(() => ID, { nullable: true }) planId: string | null;
  @Field(() => ID, { nullable: true, description: 'The intake, appointment or re-assessment the point comes from' }) recordId: string | null;
}

@ObjectType('ClientChart', { simpleResolvers: true, description: "A client's whole record in one query: plans, intakes, appointments with notes, re-assessments and the trajectory" })
export class ClientChartType {
  @Field(() => ClientType, { description: 'The client; its intakes and plans (with versions and re-assessments) hang from it' }) client: ClientType;
  @Field(() => [AppointmentType], { description: 'Every appointment, oldest first; each carries its session note' }) appointments: AppointmentType[];
  @Field(() => [TrajectoryPointType], { description: 'Pain and function over time, oldest first, to read against the plans’ benchmarks' })
  trajectory: TrajectoryPointType[];
}

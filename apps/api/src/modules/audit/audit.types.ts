import { JSONObjectResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../common/pagination';

export const AUDIT_OUTCOMES = ['SUCCESS', 'DENIED', 'FAILURE'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export const AuditOutcomeEnum = { SUCCESS: 'SUCCESS', DENIED: 'DENIED', FAILURE: 'FAILURE' } as const;
registerEnumType(AuditOutcomeEnum, { name: 'AuditOutcome', description: 'SUCCESS: done; DENIED: refused (role, clinic scope); FAILURE: attempted and failed' });

@ObjectType('AuditActor', { description: 'The person who acted (null on the event for a client link or the system)' })
export class AuditActorType {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field() displayName: string;
}

@ObjectType('AuditEvent', { description: 'Who read or changed which record, when, from where, allowed or denied' })
export class AuditEventType {
  @Field(() => ID) id: string;
  @Field() occurredAt: Date;
  @Field({ description: "e.g. 'client.update', 'chart.read', 'auth.sign_in'" }) action: string;
  @Field(() => AuditOutcomeEnum) outcome: AuditOutcome;
  @Field(() => AuditActorType, { nullable: true }) actor: AuditActorType | null;
  @Field(() => String, { nullable: true }) recordType: string | null;
  @Field(() => ID, { nullable: true, description: 'The one record the event is about (null on a read of several records: see recordIds)' }) recordId: string | null;
  @Field(() => [ID], {
    nullable: true,
    description: 'A read of several records of recordType (a chart shows 112 notes: one note.read event with 112 ids): every id. Null on every other event',
  })
  recordIds: string[] | null;
  @Field(() => String, { nullable: true, description: 'The address the request came from' }) sourceAddress: string | null;
  @Field(() => String, { nullable: true }) requestId: string | null;
  @Field(() => String, { nullable: true, description: 'What the caller sent in x-request-id' }) correlationId: string | null;
  @Field(() => JSONObjectResolver, { nullable: true }) detail: Record<string, unknown> | null;
}

export const AuditEventConnection = Connection(AuditEventType, 'AuditEvent');

@InputType({ description: 'Every field narrows the search; none: the whole log, newest first' })
export class AuditEventFilter {
  @Field(() => ID, { nullable: true, description: 'The person who acted' }) actorUserId?: string | null;
  @Field(() => ID, { nullable: true, description: "A record's id: a client's id finds the events on that client; a record's id also finds the reads of several records that included it" }) recordId?: string | null;
  @Field(() => String, { nullable: true, description: "With recordId or alone: 'client', 'intake', 'appointment', …" }) recordType?: string | null;
  @Field(() => String, { nullable: true, description: "One action, exactly: 'client.update'" }) action?: string | null;
  @Field(() => AuditOutcomeEnum, { nullable: true }) outcome?: AuditOutcome | null;
  @Field(() => Date, { nullable: true, description: 'From this instant (inclusive)' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Before this instant (exclusive)' }) to?: Date | null;
}

@ObjectType('AuditExport', { description: 'The filtered log as CSV (newest first), at most `limit` rows' })
export class AuditExportType {
  @Field({ description: 'RFC 4180 CSV with a header row; cells that a spreadsheet would run as a formula are prefixed with an apostrophe' }) csv: string;
  @Field(() => Int) rowCount: number;
  @Field({ description: 'True when more events matched than the limit: narrow the date range and export again' }) capped: boolean;
  @Field(() => Int) limit: number;
}

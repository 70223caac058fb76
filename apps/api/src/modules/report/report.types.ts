import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

/** How a report's rows are grouped (docs/reports.md). */
export const ReportGroupingEnum = {
  DAY: 'DAY',
  WEEK: 'WEEK',
  MONTH: 'MONTH',
  CLINIC: 'CLINIC',
  PRACTITIONER: 'PRACTITIONER',
  DISCIPLINE: 'DISCIPLINE',
  CONDITION: 'CONDITION',
} as const;
export type ReportGrouping = keyof typeof ReportGroupingEnum;
registerEnumType(ReportGroupingEnum, {
  name: 'ReportGrouping',
  description: 'DAY, WEEK (ISO), MONTH: clinic-local time buckets; CLINIC, PRACTITIONER, DISCIPLINE, CONDITION: one row per value',
});

export const ReportValueKindEnum = { COUNT: 'COUNT', RATE: 'RATE', MINUTES: 'MINUTES', HOURS: 'HOURS', PAIN_CHANGE: 'PAIN_CHANGE' } as const;
export type ReportValueKind = keyof typeof ReportValueKindEnum;
registerEnumType(ReportValueKindEnum, { name: 'ReportValueKind', description: 'How to show a value: RATE is 0..1; PAIN_CHANGE is points on the 0–10 scale (negative = less pain)' });

@InputType({ description: 'Which clinics, which clinic-local dates and how to group' })
export class ReportScope {
  @Field(() => ID, { nullable: true, description: "null = the whole organization (a clinic-limited manager: their clinics only)" }) clinicId?: string | null;
  @Field({ description: 'Clinic-local date, YYYY-MM-DD, inclusive' }) from: string;
  @Field({ description: 'Clinic-local date, YYYY-MM-DD, inclusive; at most 3 years after from' }) to: string;
  @Field(() => ReportGroupingEnum) groupBy: ReportGrouping;
}

@ObjectType('ReportColumn')
export class ReportColumnType {
  @Field() key: string;
  @Field() label: string;
  @Field(() => ReportValueKindEnum) kind: ReportValueKind;
}

@ObjectType('ReportRow')
export class ReportRowType {
  @Field() key: string;
  @Field() label: string;
  @Field(() => [Float], { nullable: 'items', description: 'Aligned with columns; null = not defined (e.g. a rate with nothing to divide by)' }) values: (number | null)[];
}

@ObjectType('ReportFreshness')
export class ReportFreshnessType {
  @Field(() => Date, { nullable: true, description: 'When the newest roll-up row read by this report was recomputed (null: nothing yet)' }) computedAt: Date | null;
  @Field(() => Int, { description: 'Changes in this scope not yet recomputed' }) pendingChanges: number;
  @Field(() => Date, { nullable: true }) oldestPendingAt: Date | null;
}

@ObjectType('Report', { description: 'One report: columns, a row per group, the total, the previous period’s total, how fresh' })
export class ReportType {
  @Field({ description: 'e.g. "utilisation"' }) name: string;
  @Field() title: string;
  @Field(() => [ReportColumnType]) columns: ReportColumnType[];
  @Field(() => [ReportRowType], { description: 'One per group, ordered (time order for DAY/WEEK/MONTH, else by label)' }) rows: ReportRowType[];
  @Field(() => ReportRowType, { description: 'The whole scope and range' }) total: ReportRowType;
  @Field(() => ReportRowType, { description: 'Same scope, the previous period of equal length' }) previousTotal: ReportRowType;
  @Field({ description: 'Key of the column the dashboard shows as the headline figure' }) headline: string;
  @Field(() => ReportFreshnessType) freshness: ReportFreshnessType;
  @Field(() => String, { nullable: true, description: 'e.g. why a report is empty' }) note: string | null;
}

import type { AppointmentKind, AppointmentStatus, Channel, ReminderKind } from '@fascia/db';

/**
 * The values of the database's column types that the rules validate against, kept here so
 * that the rules load no ORM (only types come from @fascia/db). The checks below fail the
 * build if the two lists drift apart.
 */
export const CHANNELS = ['EMAIL', 'SMS'] as const satisfies readonly Channel[];
export const REMINDER_KINDS = ['APPOINTMENT', 'REASSESSMENT_DUE', 'MAINTENANCE_DUE', 'MAINTENANCE_FOLLOW_UP', 'HOME_CARE'] as const satisfies readonly ReminderKind[];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const VOCABULARY_MATCHES_DB: [Same<(typeof CHANNELS)[number], Channel>, Same<(typeof REMINDER_KINDS)[number], ReminderKind>] = [true, true];

export type { AppointmentKind, AppointmentStatus, Channel, ReminderKind };
export type { ReminderTemplates } from '@fascia/db';

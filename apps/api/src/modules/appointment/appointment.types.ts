import { APPOINTMENT_KINDS, APPOINTMENT_STATUSES, type AppointmentKind, type AppointmentStatus } from '@fascia/db';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../common/pagination';

export const AppointmentStatusEnum = Object.fromEntries(APPOINTMENT_STATUSES.map((s) => [s, s])) as { [K in AppointmentStatus]: K };
registerEnumType(AppointmentStatusEnum, {
  name: 'AppointmentStatus',
  description: 'BOOKED, CHECKED_IN and COMPLETED hold the time slot; CANCELLED, LATE_CANCELLED and NO_SHOW free it',
});
export const AppointmentKindEnum = Object.fromEntries(APPOINTMENT_KINDS.map((k) => [k, k])) as { [K in AppointmentKind]: K };
registerEnumType(AppointmentKindEnum, { name: 'AppointmentKind' });

export const CANCELLED_BY = ['CLIENT', 'CLINIC'] as const;
export type CancelledBy = (typeof CANCELLED_BY)[number];
export const CancelledByEnum = { CLIENT: 'CLIENT', CLINIC: 'CLINIC' } as const;
registerEnumType(CancelledByEnum, {
  name: 'CancelledBy',
  description: "Who cancels: the clinic's late-cancel policy applies to the client's cancellations only",
});

@ObjectType('Appointment', { simpleResolvers: true, description: "Stored in UTC; localStart/localEnd are wall times in the clinic's time zone" })
export class AppointmentType {
  @Field(() => ID) id: string;
  @Field(() => ID) clinicId: string;
  @Field(() => ID) practitionerId: string;
  @Field(() => ID, { nullable: true }) roomId: string | null;
  @Field(() => ID) clientId: string;
  @Field(() => ID, { nullable: true }) planId: string | null;
  @Field(() => ID, { nullable: true, description: 'Set on the appointments booked together from a plan' }) seriesId: string | null;
  @Field(() => Int, { nullable: true, description: 'Plan-wide session number (1-based)' }) sessionNumber: number | null;
  @Field(() => Int, { nullable: true, description: "Index of the plan phase (0-based) the session belongs to" }) phaseIndex: number | null;
  @Field(() => AppointmentKindEnum) kind: AppointmentKind;
  @Field() startsAt: Date;
  @Field() endsAt: Date;
  @Field(() => AppointmentStatusEnum) status: AppointmentStatus;
  @Field(() => String, { nullable: true }) statusReason: string | null;
  @Field(() => Date, { nullable: true }) statusChangedAt: Date | null;
  @Field(() => ID, { nullable: true, description: 'The appointment this one replaces (a reschedule or a missed session rebooked)' })
  rescheduledFrom: string | null;
  @Field(() => Date, { nullable: true, description: 'When the client confirmed from the link in a reminder; null: not confirmed' })
  clientConfirmedAt: Date | null;
  @Field() createdAt: Date;
}

export const AppointmentConnection = Connection(AppointmentType, 'Appointment');

export const AppointmentWhenEnum = { UPCOMING: 'UPCOMING', PAST: 'PAST' } as const;
registerEnumType(AppointmentWhenEnum, { name: 'AppointmentWhen', description: 'UPCOMING: from now, soonest first; PAST: before now, most recent first' });

@ObjectType('AppointmentSeries', { description: "A plan's sessions booked together" })
export class AppointmentSeriesType {
  @Field(() => ID) seriesId: string;
  @Field(() => ID) planId: string;
  @Field() timeZone: string;
  @Field(() => [AppointmentType]) appointments: AppointmentType[];
}

@ObjectType('AppointmentChange', {
  description: 'A status change; when a plan session is missed, its replacement and the later sessions it moved',
})
export class AppointmentChangeType {
  @Field(() => AppointmentType) appointment: AppointmentType;
  @Field(() => AppointmentType, { nullable: true, description: 'The missed session booked again (same session number)' })
  rebooked: AppointmentType | null;
  @Field(() => [AppointmentType], { description: 'Later sessions of the plan moved to keep the spacing' }) moved: AppointmentType[];
  @Field(() => String, { nullable: true, description: 'Why the rest of the plan could not be shifted, when it could not' })
  shiftProblem: string | null;
}

@ObjectType('CalendarPractitionerColumn', { simpleResolvers: true })
export class CalendarPractitionerColumn {
  @Field(() => ID) practitionerId: string;
  @Field(() => [AppointmentType]) appointments: AppointmentType[];
}

@ObjectType('CalendarRoomColumn', { simpleResolvers: true })
export class CalendarRoomColumn {
  @Field(() => ID, { nullable: true, description: 'null: appointments without a room' }) roomId: string | null;
  @Field(() => [AppointmentType]) appointments: AppointmentType[];
}

@ObjectType('Calendar', { simpleResolvers: true, description: "A clinic's appointments over 1–7 local days, in its time zone" })
export class CalendarType {
  @Field(() => ID) clinicId: string;
  @Field() timeZone: string;
  @Field({ description: 'First local date, YYYY-MM-DD' }) from: string;
  @Field({ description: 'Local date after the last one, YYYY-MM-DD (exclusive)' }) to: string;
  @Field(() => [AppointmentType], { description: 'By start time' }) appointments: AppointmentType[];
  @Field(() => [CalendarPractitionerColumn]) byPractitioner: CalendarPractitionerColumn[];
  @Field(() => [CalendarRoomColumn]) byRoom: CalendarRoomColumn[];
}

@InputType()
export class BookAppointmentInput {
  @Field(() => ID) clinicId: string;
  @Field(() => ID) practitionerId: string;
  @Field(() => ID, { nullable: true }) roomId?: string | null;
  @Field(() => ID) clientId: string;
  @Field({
    description:
      "An ISO-8601 instant with an offset (2026-03-10T09:00:00Z, 2026-03-10T09:00+00:00), or a local wall time without one (2026-03-10T09:00) read in the clinic's time zone; a local time that does not exist there (clocks going forward) is refused",
  })
  startsAt: string;
  @Field(() => Int) durationMinutes: number;
  @Field(() => AppointmentKindEnum, { defaultValue: 'SESSION' }) kind: AppointmentKind;
  @Field(() => ID, { nullable: true, description: "The client's plan this visit belongs to" }) planId?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'A referral received by your organization (ACCEPTED, its client linked to this client): the booking moves it to SCHEDULED',
  })
  referralId?: string | null;
}

@InputType()
export class RescheduleAppointmentInput {
  @Field({ description: 'Same forms as BookAppointmentInput.startsAt' }) startsAt: string;
  @Field(() => Int, { nullable: true, description: 'Defaults to the current length' }) durationMinutes?: number | null;
  @Field(() => ID, { nullable: true, description: 'Another practitioner (default: the same)' }) practitionerId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Another room (default: the same)' }) roomId?: string | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@InputType()
export class LocalTimeWindowInput {
  @Field({ description: 'HH:mm' }) start: string;
  @Field({ description: 'HH:mm' }) end: string;
}

@InputType()
export class SchedulePreferencesInput {
  @Field(() => [Int], { nullable: true, description: 'Preferred ISO weekdays (1 = Monday)' }) weekdays?: number[] | null;
  @Field(() => [LocalTimeWindowInput], { nullable: true, description: 'Preferred local times' }) times?: LocalTimeWindowInput[] | null;
}

@InputType()
export class BookPlanSeriesInput {
  @Field(() => ID) planId: string;
  @Field(() => ID) clinicId: string;
  @Field(() => ID) practitionerId: string;
  @Field(() => ID, { nullable: true }) roomId?: string | null;
  @Field({ description: "First possible local date (YYYY-MM-DD) in the clinic's time zone" }) startFrom: string;
  @Field(() => SchedulePreferencesInput, { nullable: true }) preferences?: SchedulePreferencesInput | null;
  @Field(() => [String], { nullable: true, description: 'Local dates (YYYY-MM-DD) with no sessions' }) avoidDates?: string[] | null;
  @Field(() => Int, { nullable: true, description: 'Maintenance visits to book after the active phases (default 0)' })
  maintenanceVisits?: number | null;
}

@ObjectType('AppointmentLinkResult', { description: 'What a client sees after using a confirm or cancel link from a reminder' })
export class AppointmentLinkResultType {
  @Field(() => ID) appointmentId: string;
  @Field() status: string;
  @Field() startsAt: Date;
  @Field({ description: "The start as the clinic's wall time, 'yyyy-MM-ddTHH:mm'" }) localStart: string;
  @Field({ description: "The clinic's IANA time zone" }) timeZone: string;
  @Field() clinicName: string;
  @Field(() => String, { nullable: true }) clinicPhone: string | null;
  @Field() practitionerName: string;
  @Field(() => Date, { nullable: true, description: 'Set once the client has confirmed (the confirm link)' }) clientConfirmedAt: Date | null;
}

import { Appointment, Practitioner, Room, type Clinic } from '@fascia/db';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders, Parent } from '../../auth/tenant.decorator';
import { ClinicType, RoomType } from '../clinic/clinic.types';
import { PractitionerType } from '../practitioner/practitioner.types';
import { localOf, type AppointmentChange, type Calendar, type Series } from './appointment.service';
import type { CalendarAppointment } from './operations/shared';
import type { CalendarColumns } from './operations/calendar';
import { isoTimestamps, pickColumns, type ColumnNeeds } from '../../common/plain-rows';
import { fieldsAt } from '../../common/selection';
import { loadersOf, type PlainResolvers } from '../../common/plain-resolvers';
import type { LinkOutcome } from './operations/public-link';
import type { AppointmentWhen } from './operations/client-appointments';
import type { Page } from '../../common/pagination';
import { DateTime } from 'luxon';
import {
  AppointmentChangeType,
  AppointmentConnection,
  AppointmentLinkResultType,
  AppointmentSeriesType,
  AppointmentType,
  AppointmentWhenEnum,
  BookAppointmentInput,
  BookPlanSeriesInput,
  CalendarPractitionerColumn,
  CalendarRoomColumn,
  CalendarType,
  CancelledByEnum,
  RescheduleAppointmentInput,
  type CancelledBy,
} from './appointment.types';


@Resolver(() => AppointmentType)
export class AppointmentResolver {
  @Authorized()
  @Query(() => AppointmentType, { nullable: true })
  appointment(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Appointment | null> {
    return ctx.services.appointments.get(tenant, id);
  }

  @Authorized()
  @Query(() => AppointmentConnection, {
    description: "A client's appointments outside the calendar: UPCOMING (soonest first) or PAST (latest first), every status, at clinics the caller's roles reach. Not clinical: the front desk reads them too (a note stays clinical).",
  })
  clientAppointments(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('clientId', () => ID) clientId: string,
    @Arg('when', () => AppointmentWhenEnum, { defaultValue: 'UPCOMING' }) when: AppointmentWhen,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<Appointment>> {
    return ctx.services.appointments.forClient(tenant, { clientId, when, first, after });
  }

  @Authorized()
  @Query(() => CalendarType, { description: "A clinic's booked appointments over 1–7 local days from `from`, by start; filter by practitioner or room" })
  async calendar(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('clinicId', () => ID) clinicId: string,
    @Arg('from', { description: "Local date YYYY-MM-DD in the clinic's time zone" }) from: string,
    @Arg('days', () => Int, { defaultValue: 1, description: '1 (a day) to 7 (a week)' }) days: number,
    @Arg('practitionerId', () => ID, { nullable: true }) practitionerId: string | null,
    @Arg('roomId', () => ID, { nullable: true }) roomId: string | null,
    @Arg('includeFreed', () => Boolean, {
      defaultValue: false,
      description: 'Also the appointments that freed their time: CANCELLED (a reschedule leaves one too), LATE_CANCELLED and NO_SHOW',
    })
    includeFreed: boolean,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Calendar> {
    const cal = await ctx.services.appointments.calendar(tenant, { clinicId, from, days, practitionerId, roomId, includeFreed }, calendarColumns(ctx, info));
    // Every appointment's local times need the clinic: it was read already.
    ctx.loaders?.clinicById.prime(cal.clinic.id, cal.clinic);
    // … and its practitioners and rooms (the columns' fields read them through the loaders).
    for (const p of cal.practitioners) ctx.loaders?.practitionerById.prime(p.id, p);
    for (const r of cal.rooms) ctx.loaders?.roomById.prime(r.id, r);
    return cal;
  }

  @Authorized()
  @Mutation(() => AppointmentType)
  bookAppointment(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => BookAppointmentInput) input: BookAppointmentInput,
  ): Promise<Appointment> {
    return ctx.services.appointments.book(tenant, input);
  }

  @Authorized()
  @Mutation(() => AppointmentSeriesType, { description: "Books the plan's remaining sessions in the clinic's time zone: all of them or none" })
  bookPlanSeries(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => BookPlanSeriesInput) input: BookPlanSeriesInput,
  ): Promise<Series> {
    return ctx.services.appointments.bookSeries(tenant, input);
  }

  @Authorized()
  @Mutation(() => AppointmentType, { description: 'Books the new time; the old appointment becomes CANCELLED and the new one names it in rescheduledFrom' })
  rescheduleAppointment(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => RescheduleAppointmentInput) input: RescheduleAppointmentInput,
  ): Promise<Appointment> {
    return ctx.services.appointments.reschedule(tenant, id, input);
  }

  @Mutation(() => AppointmentLinkResultType, {
    description: 'Public (no sign-in): the confirm link of a reminder. Honoured once, only before the appointment and only for the time the reminder was sent for',
  })
  async confirmAppointmentByLink(@Ctx() ctx: GraphQLContext, @Arg('token') token: string): Promise<AppointmentLinkResultType> {
    return linkResult(await ctx.services.appointments.confirmByLink(token, ctx.config.appSecret));
  }

  @Mutation(() => AppointmentLinkResultType, {
    description: "Public (no sign-in): the cancel link of a reminder. A client cancellation: LATE_CANCELLED within the clinic's lateCancelHours. Once, only before the appointment",
  })
  async cancelAppointmentByLink(@Ctx() ctx: GraphQLContext, @Arg('token') token: string): Promise<AppointmentLinkResultType> {
    return linkResult(await ctx.services.appointments.cancelByLink(token, ctx.config.appSecret));
  }

  @Authorized()
  @Mutation(() => AppointmentChangeType, {
    description: "LATE_CANCELLED when the client cancels within the clinic's lateCancelHours; a missed plan session is booked again and the rest of the plan shifts",
  })
  cancelAppointment(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Arg('cancelledBy', () => CancelledByEnum, { defaultValue: 'CLIENT' }) cancelledBy: CancelledBy,
  ): Promise<AppointmentChange> {
    return ctx.services.appointments.cancel(tenant, id, reason, cancelledBy);
  }

  @Authorized()
  @Mutation(() => AppointmentChangeType, { description: 'After the start only; the missed plan session is booked again and the rest of the plan shifts' })
  markNoShow(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<AppointmentChange> {
    return ctx.services.appointments.markNoShow(tenant, id);
  }

  @Authorized()
  @Mutation(() => AppointmentType, { description: "On the appointment's local day" })
  checkIn(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Appointment> {
    return ctx.services.appointments.checkIn(tenant, id);
  }

  @Authorized()
  @Mutation(() => AppointmentType, { description: 'After check-in (signing the session note completes it too)' })
  completeAppointment(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Appointment> {
    return ctx.services.appointments.complete(tenant, id);
  }

  // Each field resolver below is installed as a plain graphql-js resolver (APPOINTMENT_FIELDS,
  // common/plain-resolvers.ts): type-graphql declares the field, the function answers it.
  @FieldResolver(() => String, { description: "Clinic's IANA time zone" })
  timeZone(@Parent() a: Appointment, @Loaders() loaders: RequestLoaders): Promise<string> {
    return timeZoneOf(a, loaders);
  }

  @FieldResolver(() => String, { description: "Local start YYYY-MM-DDTHH:mm in the clinic's time zone" })
  localStart(@Parent() a: Appointment, @Loaders() loaders: RequestLoaders): Promise<string> {
    return localStartOf(a, loaders);
  }

  @FieldResolver(() => String, { description: "Local end YYYY-MM-DDTHH:mm in the clinic's time zone" })
  localEnd(@Parent() a: Appointment, @Loaders() loaders: RequestLoaders): Promise<string> {
    return localEndOf(a, loaders);
  }

  @FieldResolver(() => Int)
  durationMinutes(@Parent() a: Appointment): number {
    return durationOf(a);
  }

  @FieldResolver(() => ClinicType)
  clinic(@Parent() a: Appointment, @Loaders() loaders: RequestLoaders): Promise<Clinic> {
    return clinicOf(a, loaders);
  }

  @FieldResolver(() => PractitionerType)
  practitioner(@Parent() a: CalendarAppointment, @Loaders() loaders: RequestLoaders): Practitioner | Promise<Practitioner> {
    return practitionerOf(a, loaders);
  }

  @FieldResolver(() => RoomType, { nullable: true })
  room(@Parent() a: CalendarAppointment, @Loaders() loaders: RequestLoaders): Room | null | Promise<Room | null> {
    return roomOf(a, loaders);
  }

  @FieldResolver(() => String, { description: "The client's preferred (or first) and last name" })
  clientName(@Parent() a: CalendarAppointment, @Loaders() loaders: RequestLoaders): string | Promise<string> {
    return clientNameOf(a, loaders);
  }
}

const clinicOf = async (a: Appointment, loaders: RequestLoaders): Promise<Clinic> => (await loaders.clinicById.load(a.clinicId)) as Clinic;
const timeZoneOf = async (a: Appointment, loaders: RequestLoaders): Promise<string> => (await clinicOf(a, loaders)).timeZone;
const localStartOf = async (a: Appointment, loaders: RequestLoaders): Promise<string> => localOf(a.startsAt, await timeZoneOf(a, loaders));
const localEndOf = async (a: Appointment, loaders: RequestLoaders): Promise<string> => localOf(a.endsAt, await timeZoneOf(a, loaders));
const durationOf = (a: Appointment): number => Math.round((a.endsAt.getTime() - a.startsAt.getTime()) / 60000);

/** A calendar's row carries its practitioner (no promise per appointment); otherwise one batch per request. */
const practitionerOf = (a: CalendarAppointment, loaders: RequestLoaders): Practitioner | Promise<Practitioner> =>
  a.calendarPractitioner ?? (loaders.practitionerById.load(a.practitionerId) as Promise<Practitioner>);

const roomOf = (a: CalendarAppointment, loaders: RequestLoaders): Room | null | Promise<Room | null> => {
  if (!a.roomId) return null;
  return a.calendarRoom ?? loaders.roomById.load(a.roomId);
};

/** The calendar reads it with the appointments (a null: no client visible); otherwise one batch per request. */
const clientNameOf = (a: CalendarAppointment, loaders: RequestLoaders): string | Promise<string> => {
  if (a.clientName !== undefined) return a.clientName ?? '';
  return loaders.clientById.load(a.clientId).then((c) => (c ? `${c.preferredName ?? c.firstName} ${c.lastName}` : ''));
};

/**
 * AppointmentResolver's field resolvers as plain graphql-js resolvers (`getSchema` installs
 * them; common/plain-resolvers.ts). Each asks for the request's loaders first, as `@Loaders()`
 * did: no tenant, UNAUTHENTICATED.
 */
export const APPOINTMENT_FIELDS: PlainResolvers<CalendarAppointment> = {
  timeZone: (a, _args, ctx) => timeZoneOf(a, loadersOf(ctx)),
  localStart: (a, _args, ctx) => localStartOf(a, loadersOf(ctx)),
  localEnd: (a, _args, ctx) => localEndOf(a, loadersOf(ctx)),
  durationMinutes: (a) => durationOf(a),
  clinic: (a, _args, ctx) => clinicOf(a, loadersOf(ctx)),
  practitioner: (a, _args, ctx) => practitionerOf(a, loadersOf(ctx)),
  room: (a, _args, ctx) => roomOf(a, loadersOf(ctx)),
  clientName: (a, _args, ctx) => clientNameOf(a, loadersOf(ctx)),
};

@Resolver(() => CalendarPractitionerColumn)
export class CalendarPractitionerColumnResolver {
  @FieldResolver(() => PractitionerType)
  practitioner(@Parent() col: CalendarPractitionerColumn, @Loaders() loaders: RequestLoaders): Promise<Practitioner> {
    return loaders.practitionerById.load(col.practitionerId) as Promise<Practitioner>;
  }
}

@Resolver(() => CalendarRoomColumn)
export class CalendarRoomColumnResolver {
  @FieldResolver(() => RoomType, { nullable: true })
  room(@Parent() col: CalendarRoomColumn, @Loaders() loaders: RequestLoaders): Promise<Room | null> {
    return col.roomId ? loaders.roomById.load(col.roomId) : Promise.resolve(null);
  }
}

/**
 * The columns each Appointment field reads beyond its own (common/plain-rows.ts `pickColumns`):
 * the field resolvers of this file and AppointmentNoteResolver. A field added to the type and not
 * listed here makes the calendar read every column again (never a missing value).
 */
export const APPOINTMENT_COLUMNS: ColumnNeeds = {
  // The calendar groups by practitioner and room; scope and loaders key on the ids.
  always: ['id', 'clinicId', 'practitionerId', 'roomId', 'clientId'],
  resolved: {
    timeZone: ['clinicId'],
    localStart: ['clinicId', 'startsAt'],
    localEnd: ['clinicId', 'endsAt'],
    durationMinutes: ['startsAt', 'endsAt'],
    clinic: ['clinicId'],
    practitioner: ['practitionerId'],
    room: ['roomId'],
    clientName: ['clientId'],
    note: ['id'],
  },
};
/** Practitioner fields beyond its columns (PractitionerResolver). */
export const PRACTITIONER_COLUMNS: ColumnNeeds = { always: ['id'], resolved: { availability: ['id'] } };
export const ROOM_COLUMNS: ColumnNeeds = { always: ['id'], resolved: {} };

/**
 * The calendar's columns from the query's selection: the appointment fields asked for under
 * `appointments`, `byPractitioner.appointments` and `byRoom.appointments` (the same rows), and
 * their practitioner's and room's. A column's `practitioner` or `room` field reads through the
 * request's loaders, which the calendar primes: asked for, that row is read whole.
 */
function calendarColumns(ctx: GraphQLContext, info: GraphQLResolveInfo): CalendarColumns {
  const lists = [['appointments'], ['byPractitioner', 'appointments'], ['byRoom', 'appointments']];
  const fields = fieldsAt(info, lists);
  const meta = (target: typeof Appointment | typeof Practitioner | typeof Room) => ctx.db.dataSource.getMetadata(target);
  const whole = (path: string, field: string) => fieldsAt(info, [[path]]).has(field);
  return {
    appointment: pickColumns(meta(Appointment), fields, APPOINTMENT_COLUMNS),
    // The times only shown (no localStart, durationMinutes… asked for) come as ISO strings.
    isoTimes: isoTimestamps(meta(Appointment), fields, APPOINTMENT_COLUMNS),
    practitioner: whole('byPractitioner', 'practitioner') ? null : pickColumns(meta(Practitioner), fieldsAt(info, lists.map((l) => [...l, 'practitioner'])), PRACTITIONER_COLUMNS),
    room: whole('byRoom', 'room') ? null : pickColumns(meta(Room), fieldsAt(info, lists.map((l) => [...l, 'room'])), ROOM_COLUMNS),
    clientName: fields.has('clientName'),
  };
}

/** What the client's page shows after a link: the appointment's state, where, when (clinic wall time) and with whom. */
function linkResult(o: LinkOutcome): AppointmentLinkResultType {
  const a = o.appointment;
  return {
    appointmentId: a.id,
    status: a.status,
    startsAt: a.startsAt,
    localStart: DateTime.fromJSDate(a.startsAt, { zone: o.timeZone }).toFormat("yyyy-LL-dd'T'HH:mm"),
    timeZone: o.timeZone,
    clinicName: o.clinicName,
    clinicPhone: o.clinicPhone,
    practitionerName: o.practitionerName,
    clientConfirmedAt: a.clientConfirmedAt,
  };
}

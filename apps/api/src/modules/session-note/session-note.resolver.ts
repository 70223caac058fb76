import type { SessionAddendum, SessionNote } from '@fascia/db';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders, Parent } from '../../auth/tenant.decorator';
import { AppointmentType } from '../appointment/appointment.types';
import { SessionAddendumType, SessionCheckInInput, SessionNoteType, UpdateSessionNoteInput } from './session-note.types';
import { CLINICAL_ROLES } from '../../auth/scope';
import { hasRole } from '../../auth/auth-checker';
import type { PlainResolvers } from '../../common/plain-resolvers';
import type { ChartAppointment } from '../chart/chart.service';

/** Clinical content: front desk may book and check in, but not read or write notes. */

@Resolver(() => SessionNoteType)
export class SessionNoteResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => SessionNoteType, { nullable: true })
  sessionNote(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<SessionNote | null> {
    return ctx.services.sessionNotes.get(tenant, id);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => SessionNoteType, { description: "Opens the appointment's note with the check-in at the start of the session" })
  startSessionNote(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('appointmentId', () => ID) appointmentId: string,
    @Arg('checkin', () => SessionCheckInInput) checkin: SessionCheckInInput,
  ): Promise<SessionNote> {
    return ctx.services.sessionNotes.start(tenant, appointmentId, checkin);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => SessionNoteType, { description: 'Changes an unsigned note; a signed one is refused with CONFLICT' })
  updateSessionNote(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateSessionNoteInput) input: UpdateSessionNoteInput,
  ): Promise<SessionNote> {
    return ctx.services.sessionNotes.update(tenant, id, input);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => SessionNoteType, { description: 'Makes the note immutable and completes its appointment' })
  signSessionNote(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<SessionNote> {
    return ctx.services.sessionNotes.sign(tenant, id);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => SessionNoteType, { description: 'Adds a correction to a signed note, with its author and time' })
  addAddendum(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('noteId', () => ID) noteId: string,
    @Arg('body') body: string,
  ): Promise<SessionNote> {
    return ctx.services.sessionNotes.addAddendum(tenant, noteId, body);
  }

  @FieldResolver(() => Boolean)
  signed(@Parent() note: SessionNote): boolean {
    return note.signedAt !== null;
  }

  @FieldResolver(() => [SessionAddendumType], { description: 'Oldest first' })
  addenda(@Parent() note: SessionNote, @Loaders() loaders: RequestLoaders): Promise<SessionAddendum[]> {
    return loaders.addendaByNote.load(note.id);
  }
}

@Resolver(() => AppointmentType)
export class AppointmentNoteResolver {
  // Clinical roles only, as @Authorized(...CLINICAL_ROLES) would say, checked by a plain call
  // (auth-checker.ts, hasRole): a chart resolves this once per appointment.
  @FieldResolver(() => SessionNoteType, { nullable: true, description: 'The session note (clinical: not for front desk)' })
  // Installed as a plain graphql-js resolver (APPOINTMENT_NOTE_FIELDS, common/plain-resolvers.ts).
  note(@Parent() a: ChartAppointment, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): SessionNote | null | Promise<SessionNote | null> {
    return noteOf(a, ctx, info);
  }
}

function noteOf(a: ChartAppointment, ctx: GraphQLContext, info: GraphQLResolveInfo): SessionNote | null | Promise<SessionNote | null> {
  hasRole(ctx, info.fieldName, CLINICAL_ROLES, info.parentType.name);
  // A chart's appointment carries its note (read in the chart's statement); otherwise one batch per request.
  if (a.chartNote !== undefined) return a.chartNote;
  return (ctx.loaders as RequestLoaders).noteByAppointment.load(a.id);
}

/** `Appointment.note` as a plain graphql-js resolver (`getSchema` installs it): its role check is the `hasRole` call above. */
export const APPOINTMENT_NOTE_FIELDS: PlainResolvers<ChartAppointment> = {
  note: (a, _args, ctx, info) => noteOf(a, ctx, info),
};

import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth/auth-checker';
import { guardTextArguments } from './common/input-guard';
import { DateTimeScalar } from './common/scalars';
import { ChartResolver } from './modules/chart/chart.resolver';
import { MyDayResolver } from './modules/my-day/my-day.resolver';
import { APPOINTMENT_FIELDS, AppointmentResolver, CalendarPractitionerColumnResolver, CalendarRoomColumnResolver } from './modules/appointment/appointment.resolver';
import { AuditResolver } from './modules/audit/audit.resolver';
import { AuthResolver } from './modules/auth/auth.resolver';
import { ClientResolver } from './modules/client/client.resolver';
import { ClinicResolver } from './modules/clinic/clinic.resolver';
import { ClientIntakesResolver, IntakeResolver } from './modules/intake/intake.resolver';
import { OperationsResolver } from './modules/operations/operations.resolver';
import { OrganizationResolver } from './modules/organization/organization.resolver';
import { AvailabilityResolver, PractitionerResolver } from './modules/practitioner/practitioner.resolver';
import { PlanReassessmentsResolver, ReassessmentResolver } from './modules/reassessment/reassessment.resolver';
import { APPOINTMENT_NOTE_FIELDS, AppointmentNoteResolver, SessionNoteResolver } from './modules/session-note/session-note.resolver';
import { PartnershipResolver } from './modules/partnership/partnership.resolver';
import { ReferralMessageResolver, ReferralThreadResolver } from './modules/referral-message/referral-message.resolver';
import { PRACTITIONER_TASK_FIELDS, PractitionerTaskResolver } from './modules/practitioner-task/practitioner-task.resolver';
import { installPlainResolvers } from './common/plain-resolvers';
import { ReferralResolver } from './modules/referral/referral.resolver';
import { ReportResolver } from './modules/report/report.resolver';
import { ReplanResolver } from './modules/replan/replan.resolver';
import { ReminderPolicyResolver } from './modules/reminder-policy/reminder-policy.resolver';
import { StaffResolver } from './modules/staff/staff.resolver';
import { FhirExportResolver } from './modules/fhir/fhir.resolver';
import { ClientPlansResolver, TreatmentPlanResolver } from './modules/treatment-plan/treatment-plan.resolver';
import { PractitionerFeedResolver } from './modules/practitioner-feed/practitioner-feed.resolver';
import { WebhookResolver } from './modules/webhook/webhook.resolver';

export const RESOLVERS = [AuthResolver, OrganizationResolver, ClinicResolver, PractitionerResolver, AvailabilityResolver, StaffResolver,
  AppointmentResolver,
  OperationsResolver,
  CalendarPractitionerColumnResolver,
  CalendarRoomColumnResolver,
  SessionNoteResolver,
  AppointmentNoteResolver,
  ClientResolver,
  ClientIntakesResolver,
  IntakeResolver,
  TreatmentPlanResolver,
  ClientPlansResolver,
  ReassessmentResolver,
  PlanReassessmentsResolver,
  ReplanResolver,
  ChartResolver,
  MyDayResolver,
  ReminderPolicyResolver,
  PractitionerFeedResolver,
  WebhookResolver,
  PractitionerTaskResolver,
  PartnershipResolver,
  ReferralMessageResolver,
  ReferralThreadResolver,
  ReferralResolver,
  AuditResolver,
  ReportResolver,
  FhirExportResolver,
] as const;

let built: Promise<GraphQLSchema> | null = null;

/** The schema is built once per process (type-graphql keeps global metadata). */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    authMode: 'error',
    // Inputs are validated with zod in the services, where the worker and CLIs share the rules.
    validate: false,
    // DateTime as graphql-scalars' (common/scalars.ts), passing an ISO string read from PostgreSQL through.
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  })
    .then(guardTextArguments)
    // The field resolvers run once per row of the hot lists, as plain graphql-js functions
    // instead of through type-graphql's per-call wrapper (common/plain-resolvers.ts).
    .then((schema) =>
      installPlainResolvers(schema, {
        Appointment: { ...APPOINTMENT_FIELDS, ...APPOINTMENT_NOTE_FIELDS },
        PractitionerTask: PRACTITIONER_TASK_FIELDS,
      }),
    );
  return built;
}

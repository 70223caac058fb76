import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth/auth-checker';
import { guardTextArguments } from './common/input-guard';
import { ChartResolver } from './modules/chart/chart.resolver';
import { MyDayResolver } from './modules/my-day/my-day.resolver';
import { AppointmentResolver, CalendarPractitionerColumnResolver, CalendarRoomColumnResolver } from './modules/appointment/appointment.resolver';
import { AuditResolver } from './modules/audit/audit.resolver';
import { AuthResolver } from './modules/auth/auth.resolver';
import { ClientResolver } from './modules/client/client.resolver';
import { ClinicResolver } from './modules/clinic/clinic.resolver';
import { ClientIntakesResolver, IntakeResolver } from './modules/intake/intake.resolver';
import { OperationsResolver } from './modules/operations/operations.resolver';
import { OrganizationResolver } from './modules/organization/organization.resolver';
import { AvailabilityResolver, PractitionerResolver } from './modules/practitioner/practitioner.resolver';
import { PlanReassessmentsResolver, ReassessmentResolver } from './modules/reassessment/reassessment.resolver';
import { AppointmentNoteResolver, SessionNoteResolver } from './modules/session-note/session-note.resolver';
import { PartnershipResolver } from './modules/partnership/partnership.resolver';
import { ReferralMessageResolver, ReferralThreadResolver } from './modules/referral-message/referral-message.resolver';
import { PractitionerTaskResolver } from './modules/practitioner-task/practitioner-task.resolver';
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
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  }).then(guardTextArguments);
  return built;
}

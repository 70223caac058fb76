import { type Clock, type Db, systemClock } from '@fascia/db';
import type { ApiConfig } from './config';
import { AppointmentService } from './modules/appointment/appointment.service';
import { AuditService } from './modules/audit/audit.service';
import { AuthService } from './modules/auth/auth.service';
import { OperationsService } from './modules/operations/operations.service';
import { queueBackendFromEnv } from '@fascia/jobs';
import { ChartService } from './modules/chart/chart.service';
import { ClientService } from './modules/client/client.service';
import { ClinicService } from './modules/clinic/clinic.service';
import { MyDayService } from './modules/my-day/my-day.service';
import { IntakeService } from './modules/intake/intake.service';
import { DirectoryService } from './modules/partnership/directory.service';
import { FhirService } from './modules/fhir/fhir.service';
import { PartnershipService } from './modules/partnership/partnership.service';
import { ReferralMessageService } from './modules/referral-message/referral-message.service';
import { PractitionerService } from './modules/practitioner/practitioner.service';
import { PractitionerTaskService } from './modules/practitioner-task/practitioner-task.service';
import { ReassessmentService } from './modules/reassessment/reassessment.service';
import { ReportService } from './modules/report/report.service';
import { ReplanService } from './modules/replan/replan.service';
import { ReferralService } from './modules/referral/referral.service';
import { ReminderPolicyService } from './modules/reminder-policy/reminder-policy.service';
import { SessionNoteService } from './modules/session-note/session-note.service';
import { StaffService } from './modules/staff/staff.service';
import { TreatmentPlanService } from './modules/treatment-plan/treatment-plan.service';
import { PractitionerFeedService } from './modules/practitioner-feed/practitioner-feed.service';
import { WebhookService } from './modules/webhook/webhook.service';

/**
 * Builds every service once. `clock` is the one source of the current time for all of them
 * (and for field resolvers, through `services.clock`); tests pass a fixed one.
 */
export function createServices(db: Db, config: ApiConfig, clock: Clock = systemClock) {
  return {
    clock,
    appointments: new AppointmentService(db, clock),
    sessionNotes: new SessionNoteService(db, clock),
    auth: new AuthService(db, config, clock),
    clinics: new ClinicService(db),
    practitioners: new PractitionerService(db),
    staff: new StaffService(db, clock),
    clients: new ClientService(db, clock),
    intakes: new IntakeService(db, clock),
    plans: new TreatmentPlanService(db, clock),
    reassessments: new ReassessmentService(db, clock),
    replans: new ReplanService(db, clock),
    chart: new ChartService(db),
    myDay: new MyDayService(db, clock),
    reminderPolicies: new ReminderPolicyService(db, clock),
    practitionerTasks: new PractitionerTaskService(db, clock),
    partnerships: new PartnershipService(db, clock),
    directory: new DirectoryService(db),
    referralMessages: new ReferralMessageService(db, clock),
    referrals: new ReferralService(db, clock),
    audit: new AuditService(db),
    reports: new ReportService(db),
    feeds: new PractitionerFeedService(db, clock),
    webhooks: new WebhookService(db, { requireHttps: config.production, allowPrivate: config.webhookAllowPrivate }, config.appSecret, clock),
    fhir: new FhirService(db, clock, new ChartService(db)),
    // Queue handles open on first use; same backend choice as the worker (REDIS_URL, else the database).
    operations: new OperationsService(db, () => queueBackendFromEnv({ ...process.env, DATABASE_URL: process.env.DATABASE_URL || config.databaseUrl }), clock),
  };
}

export type Services = ReturnType<typeof createServices>;

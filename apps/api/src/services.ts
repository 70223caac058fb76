import type { Db } from '@fascia/db';
import type { ApiConfig } from './config';
import { AppointmentService } from './modules/appointment/appointment.service';
import { AuthService } from './modules/auth/auth.service';
import { OperationsService } from './modules/operations/operations.service';
import { queueBackendFromEnv } from '@fascia/jobs';
import { ChartService } from './modules/chart/chart.service';
import { ClientService } from './modules/client/client.service';
import { ClinicService } from './modules/clinic/clinic.service';
import { IntakeService } from './modules/intake/intake.service';
import { PractitionerService } from './modules/practitioner/practitioner.service';
import { PractitionerTaskService } from './modules/practitioner-task/practitioner-task.service';
import { ReassessmentService } from './modules/reassessment/reassessment.service';
import { ReminderPolicyService } from './modules/reminder-policy/reminder-policy.service';
import { SessionNoteService } from './modules/session-note/session-note.service';
import { StaffService } from './modules/staff/staff.service';
import { TreatmentPlanService } from './modules/treatment-plan/treatment-plan.service';

export function createServices(db: Db, config: ApiConfig) {
  return {
    appointments: new AppointmentService(db),
    sessionNotes: new SessionNoteService(db),
    auth: new AuthService(db, config),
    clinics: new ClinicService(db),
    practitioners: new PractitionerService(db),
    staff: new StaffService(db),
    clients: new ClientService(db),
    intakes: new IntakeService(db),
    plans: new TreatmentPlanService(db),
    reassessments: new ReassessmentService(db),
    chart: new ChartService(db),
    reminderPolicies: new ReminderPolicyService(db),
    practitionerTasks: new PractitionerTaskService(db),
    // Queue handles open on first use; same backend choice as the worker (REDIS_URL, else the database).
    operations: new OperationsService(db, () => queueBackendFromEnv({ ...process.env, DATABASE_URL: process.env.DATABASE_URL || config.databaseUrl })),
  };
}

export type Services = ReturnType<typeof createServices>;

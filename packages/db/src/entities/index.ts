export * from './enums';
export * from './organization.entity';
export * from './clinic.entity';
export * from './room.entity';
export * from './practitioner.entity';
export * from './user.entity';
export * from './audit-event.entity';
export * from './access-grant.entity';
export * from './outbox.entity';
export * from './client.entity';
export * from './intake.entity';
export * from './treatment-plan.entity';
export * from './appointment.entity';
export * from './session-note.entity';
export * from './reassessment.entity';
export * from './reminder.entity';

import { Organization } from './organization.entity';
import { Clinic } from './clinic.entity';
import { Room } from './room.entity';
import { Practitioner, PractitionerAvailability } from './practitioner.entity';
import { User, Membership, Invitation, RefreshToken } from './user.entity';
import { AuditEvent } from './audit-event.entity';
import { AccessGrant } from './access-grant.entity';
import { OutboxMessage, Delivery } from './outbox.entity';
import { Client } from './client.entity';
import { IntakeRecord } from './intake.entity';
import { TreatmentPlanRecord, PlanVersion } from './treatment-plan.entity';
import { Appointment } from './appointment.entity';
import { SessionNote, SessionAddendum } from './session-note.entity';
import { ReassessmentRecord } from './reassessment.entity';
import { ReminderPolicyRecord, Reminder, PractitionerTask, AppointmentLinkUse } from './reminder.entity';

export const ENTITIES = [
  Organization,
  Clinic,
  Room,
  Practitioner,
  PractitionerAvailability,
  User,
  Membership,
  Invitation,
  RefreshToken,
  AuditEvent,
  AccessGrant,
  OutboxMessage,
  Delivery,
  Client,
  IntakeRecord,
  TreatmentPlanRecord,
  PlanVersion,
  Appointment,
  SessionNote,
  SessionAddendum,
  ReassessmentRecord,
  ReminderPolicyRecord,
  Reminder,
  PractitionerTask,
  AppointmentLinkUse,
];

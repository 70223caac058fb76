export * from './enums';
export * from './organization.entity';
export * from './clinic.entity';
export * from './room.entity';
export * from './practitioner.entity';
export * from './practitioner-availability.entity';
export * from './user.entity';
export * from './membership.entity';
export * from './invitation.entity';
export * from './refresh-token.entity';
export * from './audit-event.entity';
export * from './access-grant.entity';
export * from './outbox.entity';
export * from './delivery.entity';
export * from './client.entity';
export * from './intake.entity';
export * from './treatment-plan.entity';
export * from './plan-version.entity';
export * from './appointment.entity';
export * from './session-note.entity';
export * from './session-addendum.entity';
export * from './reassessment.entity';
export * from './reminder.entity';
export * from './reminder-policy.entity';
export * from './practitioner-task.entity';
export * from './appointment-link-use.entity';
export * from './partnership.entity';
export * from './referral.entity';
export * from './referral-inbox.entity';
export * from './referral-event.entity';
export * from './referral-message.entity';
export * from './fhir-export.entity';

import { FhirExport } from './fhir-export.entity';
import { Organization } from './organization.entity';
import { Clinic } from './clinic.entity';
import { Room } from './room.entity';
import { Practitioner } from './practitioner.entity';
import { PractitionerAvailability } from './practitioner-availability.entity';
import { User } from './user.entity';
import { Membership } from './membership.entity';
import { Invitation } from './invitation.entity';
import { RefreshToken } from './refresh-token.entity';
import { AuditEvent } from './audit-event.entity';
import { AccessGrant } from './access-grant.entity';
import { OutboxMessage } from './outbox.entity';
import { Delivery } from './delivery.entity';
import { Client } from './client.entity';
import { IntakeRecord } from './intake.entity';
import { TreatmentPlanRecord } from './treatment-plan.entity';
import { PlanVersion } from './plan-version.entity';
import { Appointment } from './appointment.entity';
import { SessionNote } from './session-note.entity';
import { SessionAddendum } from './session-addendum.entity';
import { ReassessmentRecord } from './reassessment.entity';
import { Reminder } from './reminder.entity';
import { ReminderPolicyRecord } from './reminder-policy.entity';
import { PractitionerTask } from './practitioner-task.entity';
import { AppointmentLinkUse } from './appointment-link-use.entity';
import { Partnership } from './partnership.entity';
import { Referral } from './referral.entity';
import { ReferralInbox } from './referral-inbox.entity';
import { ReferralEvent } from './referral-event.entity';
import { ReferralMessage, ReferralReadMarker } from './referral-message.entity';

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
  Partnership,
  Referral,
  ReferralInbox,
  ReferralEvent,
  ReferralMessage,
  ReferralReadMarker,
  FhirExport,
];

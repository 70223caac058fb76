import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Channel } from './client.entity';

export const REMINDER_KINDS = ['APPOINTMENT', 'REASSESSMENT_DUE', 'MAINTENANCE_DUE', 'MAINTENANCE_FOLLOW_UP', 'HOME_CARE'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export const REMINDER_STATUSES = ['SCHEDULED', 'SENT', 'CANCELLED', 'SKIPPED', 'FAILED', 'DEAD'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** One template per channel; placeholders are `{{name}}` (see packages/follow-up templates). */
export interface ReminderTemplates {
  EMAIL?: { subject: string; text: string };
  SMS?: { text: string };
}

/** A clinic's reminder policy. Clinics without one use the default (packages/follow-up). */
@Entity('reminder_policy')
export class ReminderPolicyRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') clinicId: string;
  /** Minutes before the appointment, e.g. [2880, 120] for 48 h and 2 h. */
  @Column('int', { array: true }) leadMinutes: number[];
  @Column('text', { array: true }) channels: Channel[];
  /** Clinic-local 'HH:mm'. Equal start and end: no quiet hours. */
  @Column('text') quietStart: string;
  @Column('text') quietEnd: string;
  @Column('jsonb') templates: Partial<Record<ReminderKind, ReminderTemplates>>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * A message the worker sends later. `id` is the BullMQ jobId (and the outbox row id
 * that carried it); `deliveryKey` is unique and is also the `delivery` row's key.
 */
@Entity('reminder')
export class Reminder {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid', { nullable: true }) clinicId: string | null;
  @Column('text') kind: ReminderKind;
  @Column('uuid', { nullable: true }) appointmentId: string | null;
  @Column('uuid', { nullable: true }) planId: string | null;
  @Column('uuid') clientId: string;
  @Column('text') channel: Channel;
  @Column('int', { nullable: true }) leadMinutes: number | null;
  /** When it fell due, UTC. */
  @Column('timestamptz') dueAt: Date;
  /** When it goes out, after quiet hours. */
  @Column('timestamptz') sendAt: Date;
  /** The appointment start it was computed for. */
  @Column('timestamptz', { nullable: true }) appointmentStartsAt: Date | null;
  @Column('text') status: ReminderStatus;
  @Column('int', { default: 0 }) attempts: number;
  @Column('text', { nullable: true }) lastError: string | null;
  @Column('text') deliveryKey: string;
  @Column('uuid', { nullable: true }) deliveryId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

export const PRACTITIONER_TASK_KINDS = ['REASSESSMENT_DUE', 'PLAN_REVIEW'] as const;
export type PractitionerTaskKind = (typeof PRACTITIONER_TASK_KINDS)[number];
export type PractitionerTaskStatus = 'OPEN' | 'DONE' | 'DISMISSED';

/** Something a practitioner should do: a re-assessment due, a plan to review (with the reason). */
@Entity('practitioner_task')
export class PractitionerTask {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') clinicId: string;
  @Column('text') kind: PractitionerTaskKind;
  @Column('text') reason: string;
  @Column('uuid') practitionerId: string;
  @Column('uuid') clientId: string;
  @Column('uuid', { nullable: true }) planId: string | null;
  @Column('timestamptz') dueAt: Date;
  @Column('text') status: PractitionerTaskStatus;
  /** Unique: a sweep that runs again finds the task already there. */
  @Column('text') dedupeKey: string;
  @Column('timestamptz', { nullable: true }) resolvedAt: Date | null;
  @Column('uuid', { nullable: true }) resolvedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** A confirm or cancel link from a reminder, used once. */
@Entity('appointment_link_use')
export class AppointmentLinkUse {
  @Column('uuid') organizationId: string;
  @PrimaryColumn('uuid') appointmentId: string;
  @PrimaryColumn('text') purpose: 'appointment-confirm' | 'appointment-cancel';
  @PrimaryColumn('timestamptz') startsAt: Date;
  @CreateDateColumn({ type: 'timestamptz' }) usedAt: Date;
}

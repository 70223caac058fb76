import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
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

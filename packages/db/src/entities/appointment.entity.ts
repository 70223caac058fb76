import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const APPOINTMENT_STATUSES = ['BOOKED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'LATE_CANCELLED', 'NO_SHOW'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/** Statuses that hold the time slot (the exclusion constraints apply to these). */
export const BLOCKING_STATUSES: readonly AppointmentStatus[] = ['BOOKED', 'CHECKED_IN', 'COMPLETED'];
export const APPOINTMENT_KINDS = ['INTAKE', 'SESSION', 'REASSESSMENT', 'MAINTENANCE'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];

/** Stored in UTC; planned and shown in the clinic's time zone. */
@Entity('appointment')
export class Appointment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') clinicId: string;
  @Column('uuid') practitionerId: string;
  @Column('uuid', { nullable: true }) roomId: string | null;
  @Column('uuid') clientId: string;
  @Column('uuid', { nullable: true }) planId: string | null;
  @Column('uuid', { nullable: true }) seriesId: string | null;
  @Column('int', { nullable: true }) sessionNumber: number | null;
  @Column('int', { nullable: true }) phaseIndex: number | null;
  @Column('text') kind: AppointmentKind;
  @Column('timestamptz') startsAt: Date;
  @Column('timestamptz') endsAt: Date;
  @Column('text') status: AppointmentStatus;
  @Column('text', { nullable: true }) statusReason: string | null;
  @Column('timestamptz', { nullable: true }) statusChangedAt: Date | null;
  @Column('uuid', { nullable: true }) rescheduledFrom: string | null;
  /** When the client confirmed from the link in a reminder (null: not confirmed). */
  @Column('timestamptz', { nullable: true }) clientConfirmedAt: Date | null;
  @Column('uuid') createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const PLAN_STATUSES = ['PROPOSED', 'ACTIVE', 'MAINTENANCE', 'COMPLETED', 'DISCONTINUED'] as const;
export type PlanStatusCode = (typeof PLAN_STATUSES)[number];
/** A plan under care: sessions, reminders and re-assessments apply to it. */
export const LIVE_PLAN_STATUSES: PlanStatusCode[] = ['ACTIVE', 'MAINTENANCE'];
export const isLivePlan = (status: PlanStatusCode): boolean => LIVE_PLAN_STATUSES.includes(status);

@Entity('treatment_plan')
export class TreatmentPlanRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') clientId: string;
  @Column('uuid') intakeId: string;
  @Column('uuid') clinicId: string;
  @Column('uuid') practitionerId: string;
  /** The intake complaint the plan treats; one ACTIVE or MAINTENANCE plan per complaint. */
  @Column('text') complaintKey: string;
  @Column('text') status: PlanStatusCode;
  @Column('int') currentVersion: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

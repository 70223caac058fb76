import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

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

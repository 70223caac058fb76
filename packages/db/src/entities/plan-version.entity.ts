import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Every version of a plan is kept: who changed it, when and why. */
@Entity('plan_version')
export class PlanVersion {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') planId: string;
  @Column('int') version: number;
  /** `TreatmentPlan` from @fascia/planning. */
  @Column('jsonb') body: Record<string, unknown>;
  /** PROPOSED, ACCEPTED, EDITED, or a re-assessment decision (STEP_DOWN, CHANGE_APPROACH, …) */
  @Column('text') changeKind: string;
  @Column('text') reason: string;
  @Column('uuid') changedBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) changedAt: Date;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A re-assessment against the plan's benchmarks, with the planning package's proposed next step. */
@Entity('reassessment')
export class ReassessmentRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') clientId: string;
  @Column('uuid') planId: string;
  /** The plan version it was judged against. */
  @Column('int') planVersion: number;
  @Column('uuid', { nullable: true }) appointmentId: string | null;
  @Column('int') sessionsCompleted: number;
  /** `Measures` from @fascia/planning */
  @Column('jsonb') measures: Record<string, unknown>;
  @Column('jsonb', { nullable: true }) health: Record<string, unknown> | null;
  /** `BenchmarkEvaluation` */
  @Column('jsonb') evaluation: Record<string, unknown>;
  /** `NextStep` (decision, reason, the proposed plan version) */
  @Column('jsonb') proposal: Record<string, unknown>;
  @Column('text') decision: string;
  /** PROPOSED until the practitioner accepts (it becomes the next plan version) or dismisses it. */
  @Column('text') status: 'PROPOSED' | 'ACCEPTED' | 'DISMISSED';
  @Column('int', { nullable: true }) acceptedVersion: number | null;
  @Column('uuid') assessedBy: string;
  @Column('timestamptz') assessedAt: Date;
}

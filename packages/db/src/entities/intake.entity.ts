import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One version of a client's intake: the planning package's validated Intake, and its screening findings. */
@Entity('intake')
export class IntakeRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') clientId: string;
  @Column('int') version: number;
  @Column('uuid') clinicId: string;
  @Column('uuid') practitionerId: string;
  /** `Intake` from @fascia/planning (validated). */
  @Column('jsonb') data: Record<string, unknown>;
  /** `ScreeningFinding[]` from @fascia/planning. */
  @Column('jsonb') findings: Record<string, unknown>[];
  /** A do-not-treat finding: no plan may be accepted from this intake. */
  @Column('boolean') blocked: boolean;
  @Column('uuid') createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface CheckIn {
  painNow: number;
  painAreas: string[];
  pressureToday: string;
  notes?: string | null;
}

/** One note per appointment. Once signed it cannot change (a trigger enforces it); corrections are addenda. */
@Entity('session_note')
export class SessionNote {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') appointmentId: string;
  @Column('uuid') clientId: string;
  @Column('uuid') practitionerId: string;
  @Column('uuid', { nullable: true }) planId: string | null;
  @Column('jsonb') checkin: CheckIn;
  /** [{ technique, pressure, areas[], minutes? }] */
  @Column('jsonb') techniques: Record<string, unknown>[];
  @Column('int', { nullable: true }) durationMinutes: number | null;
  @Column('text', { nullable: true }) clientFeedback: string | null;
  @Column('smallint', { nullable: true }) painAfter: number | null;
  /** { subjective, objective, assessment, plan } */
  @Column('jsonb') soap: Record<string, string>;
  @Column('jsonb') homeCare: Record<string, unknown>[];
  @Column('timestamptz', { nullable: true }) signedAt: Date | null;
  @Column('uuid', { nullable: true }) signedBy: string | null;
  @Column('uuid') createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Discipline, Modality } from './enums';

@Entity('practitioner')
export class Practitioner {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  /** The practitioner's login, when they have one. */
  @Column('uuid', { nullable: true }) userId: string | null;
  @Column('text') displayName: string;
  @Column('text') discipline: Discipline;
  @Column('text', { array: true }) modalities: Modality[];
  @Column('text', { nullable: true }) email: string | null;
  @Column('timestamptz', { nullable: true }) archivedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** One weekly window in which a practitioner works at one clinic, in that clinic's local time. */
@Entity('practitioner_availability')
export class PractitionerAvailability {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') practitionerId: string;
  @Column('uuid') clinicId: string;
  /** ISO weekday, 1 = Monday */
  @Column('smallint') weekday: number;
  /** Minutes after local midnight. */
  @Column('smallint') startMinute: number;
  @Column('smallint') endMinute: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

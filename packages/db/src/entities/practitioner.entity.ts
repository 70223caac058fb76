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

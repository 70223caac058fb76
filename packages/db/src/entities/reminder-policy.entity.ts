import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Channel } from './client.entity';
import type { ReminderKind, ReminderTemplates } from './reminder.entity';

/** A clinic's reminder policy. Clinics without one use the default (packages/follow-up). */
@Entity('reminder_policy')
export class ReminderPolicyRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') clinicId: string;
  /** Minutes before the appointment, e.g. [2880, 120] for 48 h and 2 h. */
  @Column('int', { array: true }) leadMinutes: number[];
  @Column('text', { array: true }) channels: Channel[];
  /** Clinic-local 'HH:mm'. Equal start and end: no quiet hours. */
  @Column('text') quietStart: string;
  @Column('text') quietEnd: string;
  @Column('jsonb') templates: Partial<Record<ReminderKind, ReminderTemplates>>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

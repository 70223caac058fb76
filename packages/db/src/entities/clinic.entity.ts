import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { WeeklyWindow } from './enums';

@Entity('clinic')
export class Clinic {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('text') name: string;
  @Column('text') addressLine1: string;
  @Column('text', { nullable: true }) addressLine2: string | null;
  @Column('text') city: string;
  @Column('text', { nullable: true }) region: string | null;
  @Column('text', { nullable: true }) postalCode: string | null;
  /** ISO 3166-1 alpha-2 */
  @Column('text') country: string;
  /** IANA zone, e.g. Europe/London. Appointments are stored in UTC and planned and shown in this zone. */
  @Column('text') timeZone: string;
  @Column('jsonb') openingHours: WeeklyWindow[];
  @Column('text', { nullable: true }) phone: string | null;
  /** Cancelling less than this many hours before an appointment counts as a late cancel. */
  @Column('smallint', { default: 24 }) lateCancelHours: number;
  /** A booking or a plan series may start at most this many days after today in the clinic's zone (1–1095). */
  @Column('smallint', { default: 365 }) maxBookingHorizonDays: number;
  @Column('timestamptz', { nullable: true }) archivedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

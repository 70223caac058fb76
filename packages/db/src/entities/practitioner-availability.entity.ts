import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

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

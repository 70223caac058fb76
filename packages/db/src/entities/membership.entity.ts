import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { MembershipStatus, Role } from './enums';

/** A user's role in one organization (limited to some clinics, or all). */
@Entity('membership')
export class Membership {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') userId: string;
  @Column('text') role: Role;
  /** Clinics the role is limited to; empty means every clinic of the organization. */
  @Column('uuid', { array: true }) clinicIds: string[];
  @Column('text') status: MembershipStatus;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReferralStatus } from './referral.entity';

/** One change of a referral, one row per side (each organization keeps its own timeline). */
@Entity('referral_event')
export class ReferralEvent {
  @PrimaryColumn('uuid') organizationId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') referralId: string;
  @Column('text', { nullable: true }) fromStatus: ReferralStatus | null;
  @Column('text') toStatus: ReferralStatus;
  /** null: the system (e.g. EXPIRED). */
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('uuid') actorOrganizationId: string;
  @Column('text') actorName: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz') at: Date;
}

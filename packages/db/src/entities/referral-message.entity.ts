import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One message of a referral's thread, on one side (organization = this side). The author's
 * side writes its own row and, through the exchange door, the other side's, with the same id.
 */
@Entity('referral_message')
export class ReferralMessage {
  @PrimaryColumn('uuid') organizationId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') referralId: string;
  @Column('uuid') authorUserId: string;
  @Column('uuid') authorOrganizationId: string;
  @Column('text') authorName: string;
  @Column('text') body: string;
  @Column('timestamptz') createdAt: Date;
}

/** How far one person has read one referral's thread (unread counts per person). */
@Entity('referral_read_marker')
export class ReferralReadMarker {
  @PrimaryColumn('uuid') organizationId: string;
  @PrimaryColumn('uuid') referralId: string;
  @PrimaryColumn('uuid') userId: string;
  @Column('timestamptz') lastReadAt: Date;
}

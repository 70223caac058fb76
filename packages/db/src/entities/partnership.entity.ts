import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PARTNERSHIP_DIRECTIONS = ['OUTGOING', 'INCOMING'] as const;
/** OUTGOING: this side invited; INCOMING: this side was invited. */
export type PartnershipDirection = (typeof PARTNERSHIP_DIRECTIONS)[number];
export const PARTNERSHIP_STATUSES = ['INVITED', 'ACTIVE', 'DECLINED', 'ENDED'] as const;
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];

/**
 * One side of a referral partnership between two organizations (docs/referrals.md). Each
 * organization keeps its own row, with the same `id` on both sides; the other side's row is
 * written only through the exchange door (`throughExchange`).
 */
@Entity('partnership')
export class Partnership {
  /** This side. */
  @PrimaryColumn('uuid') organizationId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') partnerOrganizationId: string;
  @Column('text') direction: PartnershipDirection;
  @Column('text') status: PartnershipStatus;
  @Column('uuid') invitedByUserId: string;
  @Column('text', { nullable: true }) note: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) respondedAt: Date | null;
  @Column('uuid', { nullable: true }) respondedByUserId: string | null;
  @Column('timestamptz', { nullable: true }) endedAt: Date | null;
  @Column('uuid', { nullable: true }) endedByOrganizationId: string | null;
  @Column('text', { nullable: true }) endReason: string | null;
  @Column('timestamptz') updatedAt: Date;
}

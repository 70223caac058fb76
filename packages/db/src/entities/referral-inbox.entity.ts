import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Discipline } from './enums';
import type { ConsentMethod, ReferralClientSnapshot, ReferralReplyBody, ReferralStatus, ReferralUrgency } from './referral.entity';

/**
 * The receiver's side of a referral (organization = the receiver's; same id as the referrer's
 * {@link Referral}). Written by the referrer through the exchange door when sent; its status
 * mirrors the referral's. `due_at`/`escalate_at`/`valid_until` drive the worker's follow-ups.
 */
@Entity('referral_inbox')
export class ReferralInbox {
  @PrimaryColumn('uuid') organizationId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') sourceOrganizationId: string;
  @Column('text') sourceOrganizationName: string;
  @Column('text') sourceClinicName: string;
  @Column('text') referrerName: string;
  @Column('uuid') clinicId: string;
  /** Named by the referrer, or assigned from the pool by the receiving clinic's manager. */
  @Column('uuid', { nullable: true }) practitionerId: string | null;
  @Column('text') discipline: Discipline;
  @Column('text') urgency: ReferralUrgency;
  @Column('text') status: ReferralStatus;
  @Column('text') reason: string;
  @Column('text') clinicalQuestion: string;
  @Column('text', { array: true }) sharedRecords: string[];
  @Column('text') consentMethod: ConsentMethod;
  @Column('timestamptz') consentRecordedAt: Date;
  @Column('timestamptz') consentEndsAt: Date;
  @Column('timestamptz', { nullable: true }) consentWithdrawnAt: Date | null;
  @Column('jsonb') clientSnapshot: ReferralClientSnapshot;
  /** The receiver's own client record, once linked. */
  @Column('uuid', { nullable: true }) localClientId: string | null;
  /** The booking that made it SCHEDULED. */
  @Column('uuid', { nullable: true }) appointmentId: string | null;
  @Column('jsonb', { nullable: true }) reply: ReferralReplyBody | null;
  @Column('timestamptz') sentAt: Date;
  @Column('timestamptz', { nullable: true }) respondedAt: Date | null;
  @Column('timestamptz') dueAt: Date;
  @Column('timestamptz') escalateAt: Date;
  @Column('timestamptz') validUntil: Date;
  @Column('timestamptz', { nullable: true }) remindedAt: Date | null;
  @Column('timestamptz', { nullable: true }) escalatedAt: Date | null;
  @Column('int') version: number;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

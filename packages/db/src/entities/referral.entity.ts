import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Discipline } from './enums';

/** A referral's states (docs/api.md, "Referrals": who may move which). */
export const REFERRAL_STATUSES = ['DRAFT', 'SENT', 'ACCEPTED', 'DECLINED', 'SCHEDULED', 'COMPLETED', 'CLOSED', 'CANCELLED', 'EXPIRED'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_URGENCIES = ['ROUTINE', 'URGENT', 'EMERGENCY'] as const;
export type ReferralUrgency = (typeof REFERRAL_URGENCIES)[number];
export const CONSENT_METHODS = ['VERBAL', 'WRITTEN'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** The receiver's reply, which completes a referral; copied to the referrer's row. */
export interface ReferralReplyBody {
  findings: string;
  treatment: string | null;
  recommendations: string | null;
  onwardReferral: string | null;
  repliedAt: string;
  repliedByName: string;
}

/** What the referrer shows of the target: names as they were when sent (and the assignee, once assigned). */
export interface ReferralTargetNames {
  organizationName?: string;
  clinicName?: string;
  practitionerName?: string | null;
}

/** What travels with a referral so the receiver can book the client (no clinical content). */
export interface ReferralClientSnapshot {
  firstName: string;
  lastName: string;
  preferredName: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  email: string | null;
}

/**
 * The referrer's side of a referral (organization = the referrer's). The receiver's side is a
 * {@link ReferralInbox} row with the same id in the receiving organization, reached only
 * through the exchange door.
 */
@Entity('referral')
export class Referral {
  @PrimaryColumn('uuid') organizationId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') clientId: string;
  @Column('uuid') referringUserId: string;
  @Column('uuid', { nullable: true }) referringPractitionerId: string | null;
  @Column('uuid') referringClinicId: string;
  @Column('uuid') targetOrganizationId: string;
  @Column('uuid') targetClinicId: string;
  /** null: a pool (the discipline at the clinic; its manager assigns). */
  @Column('uuid', { nullable: true }) targetPractitionerId: string | null;
  @Column('text') targetDiscipline: Discipline;
  @Column('jsonb') targetNames: ReferralTargetNames;
  @Column('text') reason: string;
  @Column('text') clinicalQuestion: string;
  @Column('text') urgency: ReferralUrgency;
  @Column('text', { array: true }) sharedRecords: string[];
  @Column('text') consentMethod: ConsentMethod;
  @Column('uuid') consentRecordedByUserId: string;
  @Column('timestamptz') consentRecordedAt: Date;
  @Column('timestamptz') consentEndsAt: Date;
  @Column('timestamptz', { nullable: true }) consentWithdrawnAt: Date | null;
  @Column('text') status: ReferralStatus;
  @Column('smallint') validForDays: number;
  @Column('timestamptz', { nullable: true }) validUntil: Date | null;
  @Column('timestamptz', { nullable: true }) sentAt: Date | null;
  /** The receiver's first-answer deadline (a copy of the inbox row's). */
  @Column('timestamptz', { nullable: true }) dueAt: Date | null;
  @Column('timestamptz', { nullable: true }) respondedAt: Date | null;
  @Column('uuid', { nullable: true }) sourceReassessmentId: string | null;
  @Column('jsonb', { nullable: true }) reply: ReferralReplyBody | null;
  @Column('int') version: number;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

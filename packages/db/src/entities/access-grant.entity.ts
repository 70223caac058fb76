import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Consent-scoped read access across an organization's boundary: a client's consent,
 * recorded on a referral, lets one practitioner of another organization read exactly
 * the record types named here, for that one client, until revoked or expired.
 */
@Entity('access_grant')
export class AccessGrant {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** The organization that owns the records. */
  @Column('uuid') organizationId: string;
  @Column('uuid') clientId: string;
  @Column('uuid') granteeUserId: string;
  @Column('uuid') granteeOrganizationId: string;
  /** e.g. ['INTAKE_SUMMARY', 'CURRENT_PLAN', 'OUTCOME_HISTORY', 'SIGNED_NOTES'] (SHAREABLE_RECORD_TYPES) */
  @Column('text', { array: true }) recordTypes: string[];
  @Column('uuid', { nullable: true }) referralId: string | null;
  @Column('timestamptz', { nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

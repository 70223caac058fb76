import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { MembershipStatus, Role, UserStatus } from './enums';

/** A person who signs in. Global: one login can hold memberships in several organizations. */
@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') displayName: string;
  /** argon2id; null until an invited user sets a password. Never exposed through GraphQL. */
  @Column('text', { nullable: true, select: false }) passwordHash: string | null;
  @Column('text') status: UserStatus;
  @Column('timestamptz', { nullable: true }) lastSignInAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

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

@Entity('invitation')
export class Invitation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') userId: string;
  @Column('uuid') membershipId: string;
  @Column('text') email: string;
  /** The name the inviter typed (shown until the person accepts; the login may already exist with its own name). */
  @Column('text', { nullable: true }) displayName: string | null;
  /** The practitioner record the invited login acts as (linked when the invitation is made). */
  @Column('uuid', { nullable: true }) practitionerId: string | null;
  @Column('uuid') invitedBy: string;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) acceptedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** A rotating refresh token. Only its SHA-256 is stored; a reused token revokes its whole family. */
@Entity('refresh_token')
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') userId: string;
  @Column('uuid') organizationId: string;
  @Column('uuid') familyId: string;
  @Column('text') tokenHash: string;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) usedAt: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @Column('text', { nullable: true }) createdIp: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

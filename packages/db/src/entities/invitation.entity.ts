import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An invitation to join an organization; accepted once, before it expires. */
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

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { UserStatus } from './enums';

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

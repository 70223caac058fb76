import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only: the application's roles may insert, never update or delete (grants and a trigger). */
@Entity('audit_event')
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) organizationId: string | null;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  /** e.g. 'clinic.create', 'auth.sign_in', 'intake.read' */
  @Column('text') action: string;
  @Column('text', { nullable: true }) recordType: string | null;
  @Column('uuid', { nullable: true }) recordId: string | null;
  @Column('text', { nullable: true }) requestId: string | null;
  @Column('text', { nullable: true }) sourceAddress: string | null;
  /** 'SUCCESS' | 'DENIED' | 'FAILURE' */
  @Column('text') outcome: string;
  @Column('jsonb', { nullable: true }) detail: Record<string, unknown> | null;
  @CreateDateColumn({ type: 'timestamptz' }) occurredAt: Date;
}

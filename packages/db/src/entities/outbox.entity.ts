import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job to run, written in the same transaction as the change that causes it.
 * The worker's relay moves it to BullMQ with this row's id as the jobId.
 */
@Entity('outbox_message')
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('text') jobName: string;
  @Column('jsonb') payload: Record<string, unknown>;
  /** When the job should run; null means now. */
  @Column('timestamptz', { nullable: true }) runAt: Date | null;
  @Column('timestamptz', { nullable: true }) dispatchedAt: Date | null;
  /** A relay's lease while it hands the row over, or the back-off after a failed hand-over. */
  @Column('timestamptz', { nullable: true }) claimedUntil: Date | null;
  @Column('int', { default: 0 }) attempts: number;
  @Column('text', { nullable: true }) lastError: string | null;
  /** The `reminder.send-batch` job that carries this row's reminder (set when handed over in a batch), or null. */
  @Column('uuid', { nullable: true }) batchJobId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

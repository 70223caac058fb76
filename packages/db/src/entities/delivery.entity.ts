import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Every attempt to reach a person, with its status. deliveryKey is unique: nothing goes out twice. */
@Entity('delivery')
export class Delivery {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('text') deliveryKey: string;
  /** 'EMAIL' | 'SMS' */
  @Column('text') channel: string;
  @Column('text') recipient: string;
  @Column('text') template: string;
  @Column('text') status: string;
  @Column('int', { default: 0 }) attempts: number;
  @Column('text', { nullable: true }) providerRef: string | null;
  @Column('text', { nullable: true }) lastError: string | null;
  @Column('uuid', { nullable: true }) outboxId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) sentAt: Date | null;
  /** The lease of the worker sending it now (see DeliveryClaim migration). */
  @Column('timestamptz', { nullable: true }) claimedUntil: Date | null;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CHANNELS = ['EMAIL', 'SMS'] as const;
export type Channel = (typeof CHANNELS)[number];
export const PAYMENT_METHODS = ['SELF_PAY', 'INSURANCE', 'FSA_HSA'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface EmergencyContact {
  name: string;
  phone: string;
  relationship?: string | null;
}

/** A person receiving care. Belongs to one organization; may attend several of its clinics. */
@Entity('client')
export class Client {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') organizationId: string;
  @Column('text') firstName: string;
  @Column('text') lastName: string;
  @Column('text', { nullable: true }) preferredName: string | null;
  /** ISO date YYYY-MM-DD */
  @Column('date', { nullable: true }) dateOfBirth: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { array: true }) preferredChannels: Channel[];
  @Column('boolean') reminderConsent: boolean;
  @Column('jsonb', { nullable: true }) emergencyContact: EmergencyContact | null;
  @Column('text', { nullable: true }) paymentMethod: PaymentMethod | null;
  @Column('text', { nullable: true }) paymentNotes: string | null;
  @Column('uuid', { array: true }) clinicIds: string[];
  @Column('timestamptz', { nullable: true }) archivedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

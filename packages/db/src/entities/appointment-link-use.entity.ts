import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A confirm or cancel link from a reminder, used once. */
@Entity('appointment_link_use')
export class AppointmentLinkUse {
  @Column('uuid') organizationId: string;
  @PrimaryColumn('uuid') appointmentId: string;
  @PrimaryColumn('text') purpose: 'appointment-confirm' | 'appointment-cancel';
  @PrimaryColumn('timestamptz') startsAt: Date;
  @CreateDateColumn({ type: 'timestamptz' }) usedAt: Date;
}

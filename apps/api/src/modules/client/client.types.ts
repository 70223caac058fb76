import { CHANNELS, PAYMENT_METHODS, type Channel, type PaymentMethod } from '@fascia/db';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../common/pagination';

export const ChannelEnum = Object.fromEntries(CHANNELS.map((c) => [c, c])) as { [K in Channel]: K };
registerEnumType(ChannelEnum, { name: 'Channel', description: 'How a client may be reminded' });
export const PaymentMethodEnum = Object.fromEntries(PAYMENT_METHODS.map((p) => [p, p])) as { [K in PaymentMethod]: K };
registerEnumType(PaymentMethodEnum, { name: 'PaymentMethod', description: 'Self-pay, insurance, or a flexible spending / health savings account' });

@ObjectType('EmergencyContact')
export class EmergencyContactType {
  @Field() name: string;
  @Field() phone: string;
  @Field(() => String, { nullable: true }) relationship: string | null;
}

@ObjectType('Client', { simpleResolvers: true, description: 'A person receiving care; belongs to the organization and may attend several of its clinics' })
export class ClientType {
  @Field(() => ID) id: string;
  @Field() firstName: string;
  @Field() lastName: string;
  @Field(() => String, { nullable: true }) preferredName: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) dateOfBirth: string | null;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true, description: 'Normalised: digits with an optional leading +' }) phone: string | null;
  @Field(() => [ChannelEnum]) preferredChannels: Channel[];
  @Field({ description: 'The client agreed to receive reminders on their preferred channels' }) reminderConsent: boolean;
  @Field(() => EmergencyContactType, { nullable: true }) emergencyContact: EmergencyContactType | null;
  @Field(() => PaymentMethodEnum, { nullable: true }) paymentMethod: PaymentMethod | null;
  @Field(() => String, { nullable: true }) paymentNotes: string | null;
  @Field(() => [ID], { description: 'Clinics of the organization the client attends' }) clinicIds: string[];
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

export const ClientConnection = Connection(ClientType, 'Client');

@InputType()
export class EmergencyContactInput {
  @Field() name: string;
  @Field() phone: string;
  @Field(() => String, { nullable: true }) relationship?: string | null;
}

@InputType()
export class CreateClientInput {
  @Field() firstName: string;
  @Field() lastName: string;
  @Field(() => String, { nullable: true }) preferredName?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) dateOfBirth?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => [ChannelEnum], { nullable: true }) preferredChannels?: Channel[] | null;
  @Field(() => Boolean, { nullable: true }) reminderConsent?: boolean | null;
  @Field(() => EmergencyContactInput, { nullable: true }) emergencyContact?: EmergencyContactInput | null;
  @Field(() => PaymentMethodEnum, { nullable: true }) paymentMethod?: PaymentMethod | null;
  @Field(() => String, { nullable: true }) paymentNotes?: string | null;
  @Field(() => [ID], { nullable: true }) clinicIds?: string[] | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field' })
export class UpdateClientInput {
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => String, { nullable: true }) preferredName?: string | null;
  @Field(() => String, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => [ChannelEnum], { nullable: true }) preferredChannels?: Channel[] | null;
  @Field(() => Boolean, { nullable: true }) reminderConsent?: boolean | null;
  @Field(() => EmergencyContactInput, { nullable: true }) emergencyContact?: EmergencyContactInput | null;
  @Field(() => PaymentMethodEnum, { nullable: true }) paymentMethod?: PaymentMethod | null;
  @Field(() => String, { nullable: true }) paymentNotes?: string | null;
  @Field(() => [ID], { nullable: true }) clinicIds?: string[] | null;
}

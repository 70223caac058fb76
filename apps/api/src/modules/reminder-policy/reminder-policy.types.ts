import { REMINDER_KINDS, type Channel, type ReminderKind } from '@fascia/db';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ChannelEnum } from '../client/client.types';

export const ReminderKindEnum = Object.fromEntries(REMINDER_KINDS.map((k) => [k, k])) as { [K in ReminderKind]: K };
registerEnumType(ReminderKindEnum, { name: 'ReminderKind', description: 'What a reminder is about: an appointment, a re-assessment due, maintenance, home care' });

@ObjectType('QuietHours', { description: "Clinic-local 'HH:mm'; a window may wrap midnight (21:00–08:00)" })
export class QuietHoursType {
  @Field() start: string;
  @Field() end: string;
}

@ObjectType('EmailTemplate')
export class EmailTemplateType {
  @Field() subject: string;
  @Field() text: string;
}

@ObjectType('SmsTemplate')
export class SmsTemplateType {
  @Field() text: string;
}

@ObjectType('ReminderTemplate', { description: "A clinic's own text for one kind of reminder; a channel left out uses the built-in text" })
export class ReminderTemplateType {
  @Field(() => ReminderKindEnum) kind: ReminderKind;
  @Field(() => EmailTemplateType, { nullable: true }) email: EmailTemplateType | null;
  @Field(() => SmsTemplateType, { nullable: true }) sms: SmsTemplateType | null;
  @Field(() => [String], { description: 'The {{placeholders}} this kind may use' }) placeholders: string[];
}

@ObjectType('ReminderPolicy', { description: "A clinic's reminder policy, or the default when it has none (isDefault)" })
export class ReminderPolicyType {
  @Field(() => ID) clinicId: string;
  @Field({ description: 'True when the clinic has no policy of its own: 48 h and 2 h before, EMAIL and SMS, quiet 21:00–08:00' }) isDefault: boolean;
  @Field(() => [Int], { description: 'Minutes before the appointment, longest first (1 minute to 14 days, up to 6)' }) leadMinutes: number[];
  @Field(() => [ChannelEnum]) channels: Channel[];
  @Field(() => QuietHoursType, { nullable: true, description: 'null: no quiet hours' }) quietHours: QuietHoursType | null;
  @Field(() => [ReminderTemplateType]) templates: ReminderTemplateType[];
  @Field(() => [ReminderTemplateType], { description: 'The built-in text of every kind, used where the clinic has no template of its own' })
  builtInTemplates: ReminderTemplateType[];
  @Field(() => Date, { nullable: true }) updatedAt: Date | null;
}

@ObjectType('ReminderPreview', { description: 'A template rendered with sample values and the clinic’s own name, phone and time zone' })
export class ReminderPreviewType {
  @Field(() => String, { nullable: true, description: 'Email only' }) subject: string | null;
  @Field() text: string;
}

@InputType()
export class ReminderPreviewInput {
  @Field(() => ReminderKindEnum) kind: ReminderKind;
  @Field(() => ChannelEnum) channel: Channel;
  @Field(() => String, { nullable: true, description: 'Email only; omitted: the built-in subject' }) subject?: string | null;
  @Field(() => String, { nullable: true, description: 'Omitted: the built-in text' }) text?: string | null;
}

@InputType()
export class QuietHoursInput {
  @Field({ description: "Clinic-local 'HH:mm'" }) start: string;
  @Field({ description: "Clinic-local 'HH:mm'; equal to start means none" }) end: string;
}

@InputType()
export class EmailTemplateInput {
  @Field() subject: string;
  @Field() text: string;
}

@InputType()
export class SmsTemplateInput {
  @Field() text: string;
}

@InputType()
export class ReminderTemplateInput {
  @Field(() => ReminderKindEnum) kind: ReminderKind;
  @Field(() => EmailTemplateInput, { nullable: true }) email?: EmailTemplateInput | null;
  @Field(() => SmsTemplateInput, { nullable: true }) sms?: SmsTemplateInput | null;
}

@InputType({ description: 'The whole policy: it replaces the clinic’s current one' })
export class ReminderPolicyInput {
  @Field(() => [Int]) leadMinutes: number[];
  @Field(() => [ChannelEnum]) channels: Channel[];
  @Field(() => QuietHoursInput, { nullable: true, description: 'null or omitted: no quiet hours' }) quietHours?: QuietHoursInput | null;
  @Field(() => [ReminderTemplateInput], { nullable: true, description: 'At most one per kind' }) templates?: ReminderTemplateInput[] | null;
}

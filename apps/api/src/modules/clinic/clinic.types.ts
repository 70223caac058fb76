import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../common/pagination';

@ObjectType('WeeklyWindow', { description: "A weekly window in the clinic's local time; weekday is ISO (1 = Monday)" })
export class WeeklyWindowType {
  @Field(() => Int) weekday: number;
  @Field({ description: 'HH:mm' }) start: string;
  @Field({ description: 'HH:mm' }) end: string;
}

@InputType('WeeklyWindowInput')
export class WeeklyWindowInput {
  @Field(() => Int) weekday: number;
  @Field() start: string;
  @Field() end: string;
}

@ObjectType('Room', { simpleResolvers: true })
export class RoomType {
  @Field(() => ID) id: string;
  @Field(() => ID) clinicId: string;
  @Field() name: string;
}

@ObjectType('Clinic', { description: 'A location of the organization, with its own time zone and opening hours' })
export class ClinicType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() addressLine1: string;
  @Field(() => String, { nullable: true }) addressLine2: string | null;
  @Field() city: string;
  @Field(() => String, { nullable: true }) region: string | null;
  @Field(() => String, { nullable: true }) postalCode: string | null;
  @Field({ description: 'ISO 3166-1 alpha-2 country code' }) country: string;
  @Field({ description: 'IANA time zone; appointments are planned and shown in it' }) timeZone: string;
  @Field(() => [WeeklyWindowType]) openingHours: WeeklyWindowType[];
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field(() => Int, { description: "A client's cancellation less than this many hours before the start is a late cancel (0–168)" })
  lateCancelHours: number;
  @Field(() => Int, { description: "How far ahead bookings are taken: a booking or a plan series may start at most this many days after today in the clinic's zone (1–1095, default 365)" })
  maxBookingHorizonDays: number;
  @Field() createdAt: Date;
}

export const ClinicConnection = Connection(ClinicType, 'Clinic');

@InputType()
export class CreateClinicInput {
  @Field() name: string;
  @Field() addressLine1: string;
  @Field(() => String, { nullable: true }) addressLine2?: string | null;
  @Field() city: string;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field() country: string;
  @Field() timeZone: string;
  @Field(() => [WeeklyWindowInput]) openingHours: WeeklyWindowInput[];
  @Field(() => String, { nullable: true }) phone?: string | null;
}

@InputType()
export class UpdateClinicInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) addressLine1?: string | null;
  @Field(() => String, { nullable: true }) addressLine2?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => String, { nullable: true }) timeZone?: string | null;
  @Field(() => [WeeklyWindowInput], { nullable: true }) openingHours?: WeeklyWindowInput[] | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => Int, { nullable: true, description: 'Late-cancel policy in hours (0–168)' }) lateCancelHours?: number | null;
  @Field(() => Int, { nullable: true, description: 'Booking horizon in days (1–1095)' }) maxBookingHorizonDays?: number | null;
}

@InputType()
export class CreateRoomInput {
  @Field(() => ID) clinicId: string;
  @Field() name: string;
}

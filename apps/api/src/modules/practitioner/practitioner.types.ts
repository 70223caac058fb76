import { DISCIPLINES, MODALITIES, type Discipline, type Modality } from '@fascia/db';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../common/pagination';

export const DisciplineEnum = Object.fromEntries(DISCIPLINES.map((d) => [d, d])) as { [K in Discipline]: K };
registerEnumType(DisciplineEnum, { name: 'Discipline' });
export const ModalityEnum = Object.fromEntries(MODALITIES.map((m) => [m, m])) as { [K in Modality]: K };
registerEnumType(ModalityEnum, { name: 'Modality', description: 'A technique or service a practitioner offers' });

@ObjectType('Availability', { simpleResolvers: true, description: "A weekly window in which the practitioner works at a clinic, in the clinic's local time" })
export class AvailabilityType {
  @Field(() => ID) id: string;
  @Field(() => ID) clinicId: string;
  @Field(() => Int, { description: 'ISO weekday, 1 = Monday' }) weekday: number;
  @Field({ description: 'HH:mm' }) start: string;
  @Field({ description: 'HH:mm' }) end: string;
}

@ObjectType('Practitioner', { simpleResolvers: true })
export class PractitionerType {
  @Field(() => ID) id: string;
  @Field() displayName: string;
  @Field(() => DisciplineEnum) discipline: Discipline;
  @Field(() => [ModalityEnum]) modalities: Modality[];
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => ID, { nullable: true, description: 'The login that acts as this practitioner, if any' }) userId: string | null;
}

export const PractitionerConnection = Connection(PractitionerType, 'Practitioner');

@InputType()
export class AvailabilityInput {
  @Field(() => ID) clinicId: string;
  @Field(() => Int) weekday: number;
  @Field() start: string;
  @Field() end: string;
}

@InputType()
export class CreatePractitionerInput {
  @Field() displayName: string;
  @Field(() => DisciplineEnum) discipline: Discipline;
  @Field(() => [ModalityEnum]) modalities: Modality[];
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => [AvailabilityInput], { nullable: true }) availability?: AvailabilityInput[] | null;
}

@InputType()
export class UpdatePractitionerInput {
  @Field(() => String, { nullable: true }) displayName?: string | null;
  @Field(() => DisciplineEnum, { nullable: true }) discipline?: Discipline | null;
  @Field(() => [ModalityEnum], { nullable: true }) modalities?: Modality[] | null;
  @Field(() => String, { nullable: true }) email?: string | null;
}

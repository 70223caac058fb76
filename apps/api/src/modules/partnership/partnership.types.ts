import { PARTNERSHIP_DIRECTIONS, PARTNERSHIP_STATUSES, type Discipline, type Modality, type PartnershipDirection, type PartnershipStatus } from '@fascia/db';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../common/pagination';
import { DisciplineEnum, ModalityEnum } from '../practitioner/practitioner.types';

export const PartnershipDirectionEnum = Object.fromEntries(PARTNERSHIP_DIRECTIONS.map((d) => [d, d])) as { [K in PartnershipDirection]: K };
registerEnumType(PartnershipDirectionEnum, { name: 'PartnershipDirection', description: 'OUTGOING: your organization invited; INCOMING: your organization was invited' });
export const PartnershipStatusEnum = Object.fromEntries(PARTNERSHIP_STATUSES.map((s) => [s, s])) as { [K in PartnershipStatus]: K };
registerEnumType(PartnershipStatusEnum, { name: 'PartnershipStatus', description: 'INVITED → ACTIVE | DECLINED; INVITED or ACTIVE → ENDED (either side)' });

@ObjectType('PartnerOrganization', { description: 'Another organization as a partner sees it: its name and slug, nothing else' })
export class PartnerOrganizationType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() slug: string;
}

@ObjectType('ReferralPartner', { description: 'Your side of a referral partnership with another organization' })
export class ReferralPartnerType {
  @Field(() => ID) id: string;
  @Field(() => PartnerOrganizationType) partnerOrganization: PartnerOrganizationType;
  @Field(() => PartnershipDirectionEnum) direction: PartnershipDirection;
  @Field(() => PartnershipStatusEnum) status: PartnershipStatus;
  @Field(() => String, { nullable: true, description: 'The inviter’s note' }) note: string | null;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) respondedAt: Date | null;
  @Field(() => Date, { nullable: true }) endedAt: Date | null;
  @Field(() => ID, { nullable: true, description: 'Which side ended it' }) endedByOrganizationId: string | null;
  @Field(() => String, { nullable: true }) endReason: string | null;
}

@InputType()
export class InvitePartnerInput {
  @Field({ description: 'The other organization’s slug (ask them for it: it is shown on their partners page)' }) organizationSlug: string;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType()
export class RespondToPartnerInvitationInput {
  @Field(() => ID) id: string;
  @Field() accept: boolean;
}

@InputType()
export class EndPartnershipInput {
  @Field(() => ID) id: string;
  @Field({ description: 'Why (shown to the other side)' }) reason: string;
}

@ObjectType('DirectoryPractitioner', { description: 'A practitioner as the referral directory shows them' })
export class DirectoryPractitionerType {
  @Field(() => ID) id: string;
  @Field() displayName: string;
  @Field(() => DisciplineEnum) discipline: Discipline;
  @Field(() => [ModalityEnum]) modalities: Modality[];
}

@ObjectType('DirectoryClinic', { description: 'A clinic as the referral directory shows it (its time zone decides follow-up times)' })
export class DirectoryClinicType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() city: string;
  @Field({ description: 'ISO 3166-1 alpha-2' }) country: string;
  @Field() timeZone: string;
  @Field() addressLine1: string;
  @Field(() => String, { nullable: true }) postalCode: string | null;
}

@ObjectType('DirectoryEntry', {
  description: 'Who can receive a referral: a named practitioner at a clinic, or (practitioner null) the clinic’s pool for a discipline, which its manager assigns',
})
export class DirectoryEntryType {
  /** Opaque, stable: the clinic and the practitioner or the pool's discipline. */
  @Field(() => ID) id: string;
  @Field(() => DirectoryPractitionerType, { nullable: true, description: 'null: the clinic’s pool for `discipline`' }) practitioner: DirectoryPractitionerType | null;
  @Field(() => DisciplineEnum) discipline: Discipline;
  @Field(() => DirectoryClinicType) clinic: DirectoryClinicType;
  @Field(() => PartnerOrganizationType) organization: PartnerOrganizationType;
  @Field() isOwnOrganization: boolean;
}

export const DirectoryConnection = Connection(DirectoryEntryType, 'Directory');

@InputType()
export class DirectoryFilter {
  @Field(() => DisciplineEnum, { nullable: true }) discipline?: Discipline | null;
  @Field(() => ModalityEnum, { nullable: true, description: 'A practitioner who offers it; a pool with at least one who does' }) modality?: Modality | null;
  @Field(() => String, { nullable: true, description: 'Exact city, any case' }) city?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2' }) country?: string | null;
  @Field(() => ID, { nullable: true }) organizationId?: string | null;
  @Field(() => ID, { nullable: true }) clinicId?: string | null;
}

import type { Role } from '@fascia/db';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Connection } from '../../common/pagination';
import { RoleEnum } from '../organization/organization.types';

@ObjectType('Member', { description: 'A role a user holds in the organization' })
export class MemberType {
  @Field(() => ID) id: string;
  @Field(() => RoleEnum) role: Role;
  @Field(() => [ID], { description: 'Clinics the role is limited to; empty means every clinic' }) clinicIds: string[];
  @Field({ description: 'INVITED, ACTIVE or REVOKED' }) status: string;
}

export const MemberConnection = Connection(MemberType, 'Member');

@ObjectType('Invitation', { description: 'What the inviter typed; nothing of an existing login is shown until the person accepts' })
export class InvitationType {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field({ description: 'The name the inviter typed' }) displayName: string;
  @Field(() => RoleEnum) role: Role;
  @Field(() => ID, { nullable: true, description: 'The practitioner record the login will act as' }) practitionerId: string | null;
  @Field() expiresAt: Date;
}

@InputType()
export class InviteStaffInput {
  @Field() email: string;
  @Field() displayName: string;
  @Field(() => RoleEnum) role: Role;
  @Field(() => [ID], { nullable: true, description: 'Limit the role to these clinics; omit for every clinic' })
  clinicIds?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'The practitioner record this person will act as (linked now, effective when they accept)' })
  practitionerId?: string | null;
}

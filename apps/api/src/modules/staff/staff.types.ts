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

@ObjectType('Invitation')
export class InvitationType {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field(() => RoleEnum) role: Role;
  @Field() expiresAt: Date;
}

@InputType()
export class InviteStaffInput {
  @Field() email: string;
  @Field() displayName: string;
  @Field(() => RoleEnum) role: Role;
  @Field(() => [ID], { nullable: true, description: 'Limit the role to these clinics; omit for every clinic' })
  clinicIds?: string[] | null;
}

import { ROLES, type Role } from '@fascia/db';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as { [K in Role]: K };
registerEnumType(RoleEnum, { name: 'Role', description: 'What a member may do in an organization' });

@ObjectType('User', { description: 'A person who signs in to Fascia' })
export class UserType {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field() displayName: string;
  @Field({ description: 'INVITED, ACTIVE or DISABLED' }) status: string;
}

@ObjectType('Organization', { description: 'A clinic chain or an independent clinic' })
export class OrganizationType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() slug: string;
}

@ObjectType('Me')
export class MeType {
  @Field(() => UserType) user: UserType;
  @Field(() => OrganizationType) organization: OrganizationType;
  @Field(() => [RoleEnum]) roles: Role[];
  @Field(() => [ID], { description: 'Clinics your roles reach; empty means every clinic of the organization' })
  clinicIds: string[];
}

import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { MeType } from '../organization/organization.types';

@ObjectType('AuthPayload')
export class AuthPayload {
  @Field({ description: 'Send as `Authorization: Bearer <token>`; short-lived' }) accessToken: string;
  @Field() accessTokenExpiresAt: Date;
  @Field({ description: 'Single use: refreshSession returns a new one and the old one stops working' }) refreshToken: string;
  @Field(() => MeType) me: MeType;
}

@InputType()
export class SignInInput {
  @Field() email: string;
  @Field() password: string;
  @Field(() => ID, { nullable: true, description: 'Which organization to act for, when you belong to several' })
  organizationId?: string | null;
}

@InputType()
export class AcceptInvitationInput {
  @Field({ description: 'The token from the invitation email' }) token: string;
  @Field({ description: 'A new password (at least 10 characters), or your existing one if you already have an account' })
  password: string;
}

import { Field, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType('ReferralMessage', { description: 'One message of a referral’s thread between the two sides' })
export class ReferralMessageType {
  @Field(() => ID) id: string;
  @Field(() => ID) referralId: string;
  @Field() body: string;
  @Field({ description: 'The author’s name as it was when they wrote' }) authorName: string;
  @Field(() => ID) authorOrganizationId: string;
  @Field({ description: 'Written by someone of your organization' }) fromOwnOrganization: boolean;
  @Field({ description: 'Written by you' }) mine: boolean;
  @Field() createdAt: Date;
}

@InputType()
export class PostReferralMessageInput {
  @Field(() => ID) referralId: string;
  @Field({ description: '1–4000 characters' }) body: string;
}

import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('PractitionerFeed', { description: "A practitioner's iCalendar feed: its state (the token itself is never stored or shown again)" })
export class PractitionerFeedType {
  @Field(() => ID) practitionerId: string;
  @Field({ description: 'A live token exists (not revoked, ever made)' }) active: boolean;
  @Field({ description: "Events show clients' full names (the practitioner's choice); otherwise initials" }) includeClientNames: boolean;
  @Field(() => Date, { nullable: true }) rotatedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
}

@ObjectType('PractitionerFeedLink', { description: 'A new feed token, shown this once as the path of its URL' })
export class PractitionerFeedLinkType {
  @Field(() => PractitionerFeedType) feed: PractitionerFeedType;
  @Field({ description: 'The feed path, /ical/<token>.ics, on the API (and the admin app, which forwards it)' }) path: string;
}

import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType('WebhookEndpoint', { description: "An organization's webhook receiver (issue 15). Its secret is shown once, when made or rotated." })
export class WebhookEndpointType {
  @Field(() => ID) id: string;
  @Field() url: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => [String], { description: 'Subscriptions: event types or families (appointment.*, plan.*, note.signed, reassessment.recorded, referral.*)' }) events: string[];
  @Field() enabled: boolean;
  @Field(() => String, { nullable: true, description: 'Why the worker disabled it (repeated failures), when it did' }) disabledReason: string | null;
  @Field(() => Date, { nullable: true }) disabledAt: Date | null;
  @Field(() => Int, { description: 'Failed attempts in a row (0 after a success)' }) consecutiveFailures: number;
  @Field() createdAt: Date;
}

@ObjectType('WebhookEndpointWithSecret', { description: 'An endpoint with its signing secret (whsec_…), returned only by create and rotate' })
export class WebhookEndpointWithSecretType {
  @Field(() => WebhookEndpointType) endpoint: WebhookEndpointType;
  @Field({ description: 'The signing secret in the Standard Webhooks form; shown this once, never again' }) secret: string;
}

@ObjectType('WebhookAttempt', { description: 'One try at sending a delivery, as the worker logged it' })
export class WebhookAttemptType {
  @Field(() => Int, { description: '1 for the first try' }) attempt: number;
  @Field() attemptedAt: Date;
  @Field({ description: 'The receiver answered 2xx' }) ok: boolean;
  @Field(() => Int, { nullable: true, description: 'The HTTP status, none when no answer came' }) statusCode: number | null;
  @Field(() => Int) durationMs: number;
  @Field(() => String, { nullable: true }) error: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One event sent (or being sent) to one endpoint, with its last attempt' })
export class WebhookDeliveryType {
  @Field(() => ID) id: string;
  @Field(() => ID) endpointId: string;
  @Field(() => ID) eventId: string;
  @Field() eventType: string;
  @Field({ description: 'PENDING, RETRYING, SUCCEEDED, FAILED (gave up) or SKIPPED (endpoint disabled)' }) status: string;
  @Field(() => Int) attempts: number;
  @Field(() => Int, { nullable: true }) lastStatusCode: number | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => Int, { nullable: true }) lastDurationMs: number | null;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastAttemptAt: Date | null;
  @Field(() => [WebhookAttemptType], { description: 'Every try, oldest first (the delivery log: each send the worker made, its answer and duration)' })
  tries: WebhookAttemptType[];
}

@InputType('WebhookEndpointInput')
export class WebhookEndpointInput {
  @Field({ description: 'https:// address (http only outside production); must resolve to public addresses' }) url: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String]) events: string[];
}

@InputType('WebhookEndpointPatch')
export class WebhookEndpointPatch {
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) events?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Enabling resets the run of failures' }) enabled?: boolean | null;
}

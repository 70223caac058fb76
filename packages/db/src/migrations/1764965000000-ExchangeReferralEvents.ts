import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The other side of a referral hears of a change twice, both written through the exchange door in
 * the step's transaction: the worker's `referral.changed` notice (1764810000000) and, since the
 * webhooks (1764960000000), a `webhook.event` of type `referral.<status>` for that side's
 * endpoints. The exchange role's outbox policy allowed only the first; it now allows the second on
 * the same condition — the referral's id is one the current organization holds, and the message's
 * organization is that referral's other party.
 */
const POLICY = (events: boolean) => `
  CREATE POLICY outbox_exchange_referral ON outbox_message FOR INSERT TO fascia_exchange
    WITH CHECK (${events ? `(job_name = 'referral.changed' OR (job_name = 'webhook.event' AND payload->>'type' LIKE 'referral.%'))` : `job_name = 'referral.changed'`} AND (
      organization_id = fascia_current_org()
      OR EXISTS (SELECT 1 FROM referral r WHERE r.organization_id = fascia_current_org()
                    AND r.id = ${events ? `(coalesce(outbox_message.payload->>'referralId', outbox_message.payload->'data'->>'referralId'))::uuid` : `(outbox_message.payload->>'referralId')::uuid`}
                    AND r.target_organization_id = outbox_message.organization_id)
      OR EXISTS (SELECT 1 FROM referral_inbox i WHERE i.organization_id = fascia_current_org()
                    AND i.id = ${events ? `(coalesce(outbox_message.payload->>'referralId', outbox_message.payload->'data'->>'referralId'))::uuid` : `(outbox_message.payload->>'referralId')::uuid`}
                    AND i.source_organization_id = outbox_message.organization_id)));
`;

export class ExchangeReferralEvents1764965000000 implements MigrationInterface {
  name = 'ExchangeReferralEvents1764965000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY outbox_exchange_referral ON outbox_message; ${POLICY(true)}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY outbox_exchange_referral ON outbox_message; ${POLICY(false)}`);
  }
}

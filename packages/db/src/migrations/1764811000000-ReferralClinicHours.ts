import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A referral's answer deadline counts business days in the receiving clinic's zone and, when the
 * clinic has them, its opening hours (`referralFollowUpTimes`, packages/follow-up): the referrer
 * computes it when it sends, so the door may read a reachable clinic's opening hours too (the same
 * rows the directory policy already exposes: the current organization's and its ACTIVE partners').
 */
export class ReferralClinicHours1764811000000 implements MigrationInterface {
  name = 'ReferralClinicHours1764811000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT SELECT (opening_hours) ON clinic TO fascia_exchange`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE SELECT (opening_hours) ON clinic FROM fascia_exchange`);
  }
}

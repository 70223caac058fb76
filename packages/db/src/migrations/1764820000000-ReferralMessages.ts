import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './rls';

/**
 * The message thread of a referral (issue 12, docs/referrals.md "Messages").
 *
 * `referral_message`: one row per side, with the same id on both (a referral inside one
 * organization has one row: both sides are that organization). The author's side writes its own
 * row as `fascia_app` and the other side's row through the exchange door; each side reads only
 * its own rows, so reading a thread never crosses the boundary.
 *
 * `referral_read_marker`: how far each person has read a referral's thread, for unread counts per
 * person (organization, referral, user).
 *
 * What `fascia_exchange` may do here: insert the counterpart's copy of a message the current
 * organization's user writes, on a referral the current organization is party to (its own
 * `referral` row addressed to that organization, or its own `referral_inbox` row from it) —
 * nothing else: no read, no update, no delete.
 */
export class ReferralMessages1764820000000 implements MigrationInterface {
  name = 'ReferralMessages1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_message (
        organization_id uuid NOT NULL REFERENCES organization(id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL,
        author_user_id uuid NOT NULL,
        author_organization_id uuid NOT NULL REFERENCES organization(id),
        author_name text NOT NULL CHECK (char_length(author_name) BETWEEN 1 AND 200),
        body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, id)
      );
      CREATE INDEX referral_message_thread_idx ON referral_message (organization_id, referral_id, created_at, id);

      CREATE TABLE referral_read_marker (
        organization_id uuid NOT NULL REFERENCES organization(id),
        referral_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES app_user(id),
        last_read_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, referral_id, user_id)
      );
      CREATE INDEX referral_read_marker_user_idx ON referral_read_marker (organization_id, user_id);
    `);
    await q.query(tenantTableSql('referral_message', { app: 'SELECT, INSERT' }));
    await q.query(tenantTableSql('referral_read_marker', { app: 'SELECT, INSERT, UPDATE' }));
    await q.query(`
      GRANT INSERT ON referral_message TO fascia_exchange;
      CREATE POLICY referral_message_exchange_insert ON referral_message FOR INSERT TO fascia_exchange
        WITH CHECK (author_organization_id = fascia_current_org() AND organization_id <> fascia_current_org()
          AND author_user_id = fascia_current_user() AND (
            EXISTS (SELECT 1 FROM referral r WHERE r.organization_id = fascia_current_org() AND r.id = referral_message.referral_id
                       AND r.target_organization_id = referral_message.organization_id)
            OR EXISTS (SELECT 1 FROM referral_inbox i WHERE i.organization_id = fascia_current_org() AND i.id = referral_message.referral_id
                          AND i.source_organization_id = referral_message.organization_id)));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS referral_read_marker, referral_message`);
  }
}

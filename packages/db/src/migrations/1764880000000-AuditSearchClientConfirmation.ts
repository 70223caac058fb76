import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 items 9 and 10.
 *
 *  - audit_event: the organization admin's audit log searches an organization's events by
 *    person, by record (a client's id finds the events on that client) or by action, newest
 *    first, in keyset order (occurred_at, id); each search walks an index led by
 *    organization_id (docs/api.md, "Audit log"). Refusals and failures (outcome other than
 *    SUCCESS, a small share of the log) have a partial index of their own.
 *  - reminder: the delivery log (operations page) lists an organization's reminders by send
 *    time, newest first, or one client's.
 *  - appointment.client_confirmed_at: when the client confirmed the appointment from the
 *    link in a reminder (null: not confirmed). Written only by confirmAppointmentByLink.
 */
export class AuditSearchClientConfirmation1764880000000 implements MigrationInterface {
  name = 'AuditSearchClientConfirmation1764880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX audit_event_org_actor_idx ON audit_event (organization_id, actor_user_id, occurred_at DESC, id DESC);
      CREATE INDEX audit_event_org_record_idx ON audit_event (organization_id, record_id, occurred_at DESC, id DESC);
      CREATE INDEX audit_event_org_action_idx ON audit_event (organization_id, action, occurred_at DESC, id DESC);
      CREATE INDEX audit_event_org_not_success_idx ON audit_event (organization_id, occurred_at DESC, id DESC) WHERE outcome <> 'SUCCESS';

      CREATE INDEX reminder_org_send_idx ON reminder (organization_id, send_at DESC, id DESC);
      CREATE INDEX reminder_org_client_idx ON reminder (organization_id, client_id, send_at DESC, id DESC);

      ALTER TABLE appointment ADD COLUMN client_confirmed_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE appointment DROP COLUMN client_confirmed_at;
      DROP INDEX reminder_org_client_idx, reminder_org_send_idx;
      DROP INDEX audit_event_org_not_success_idx, audit_event_org_action_idx, audit_event_org_record_idx, audit_event_org_actor_idx;
    `);
  }
}

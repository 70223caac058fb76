import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An invitation shows only what the inviter typed until the person accepts:
 * - `invitation.display_name` keeps the name typed (the login may already exist, under
 *   another organization, with its own name);
 * - a tenant no longer sees an `app_user` row through a membership that is only INVITED
 *   (row-level security), so another organization's account name and status stay hidden.
 * `invitation.practitioner_id` names the practitioner record the invited login acts as.
 */
export class InvitationTypedDetails1764410000000 implements MigrationInterface {
  name = 'InvitationTypedDetails1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE invitation ADD COLUMN display_name text, ADD COLUMN practitioner_id uuid;
      DROP POLICY app_user_tenant ON app_user;
      CREATE POLICY app_user_tenant ON app_user TO fascia_app
        USING (id = fascia_current_user() OR EXISTS (
          SELECT 1 FROM membership m WHERE m.user_id = app_user.id AND m.organization_id = fascia_current_org() AND m.status <> 'INVITED'))
        WITH CHECK (true);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY app_user_tenant ON app_user;
      CREATE POLICY app_user_tenant ON app_user TO fascia_app
        USING (id = fascia_current_user() OR EXISTS (
          SELECT 1 FROM membership m WHERE m.user_id = app_user.id AND m.organization_id = fascia_current_org()))
        WITH CHECK (true);
      ALTER TABLE invitation DROP COLUMN display_name, DROP COLUMN practitioner_id;
    `);
  }
}

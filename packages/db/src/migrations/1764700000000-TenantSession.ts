import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The session setup and the membership check of a request in one statement
 * (docs/architecture.md, "One transaction per request"): `fascia_tenant_session(org, user)`
 * switches the transaction to `fascia_app` for the organization and user (as `Db.tenant`'s
 * `set_config`s do, transaction-local) and returns the user's active memberships there.
 *
 * SECURITY INVOKER, on purpose: the caller must itself be allowed to become `fascia_app`
 * (the runtime login is a member), and the role switch outlives the call (a `set_config`
 * of `role` with is_local is undone only at the transaction's end), so the membership
 * query inside, and every statement after it, runs as `fascia_app` under row-level security.
 * It can grant nothing its caller could not do with `SET LOCAL ROLE`. No `SET` clause: one
 * would make PostgreSQL undo the function's transaction-local settings when it returns.
 */
export class TenantSession1764700000000 implements MigrationInterface {
  name = 'TenantSession1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION fascia_tenant_session(p_org uuid, p_user uuid)
        RETURNS TABLE (member_role text, member_clinic_ids uuid[])
        LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $f$
        BEGIN
          PERFORM set_config('role', 'fascia_app', true),
                  set_config('fascia.org_id', p_org::text, true),
                  set_config('fascia.user_id', coalesce(p_user::text, ''), true);
          IF p_user IS NULL THEN RETURN; END IF;
          RETURN QUERY
            SELECT m.role, m.clinic_ids FROM public.membership m JOIN public.app_user u ON u.id = m.user_id
             WHERE m.user_id = p_user AND m.organization_id = p_org AND m.status = 'ACTIVE' AND u.status = 'ACTIVE';
        END $f$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS fascia_tenant_session(uuid, uuid)`);
  }
}

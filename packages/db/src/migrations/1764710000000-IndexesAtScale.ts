import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for one organization at the reference size (issue 10: 100,000 clients, 2 million
 * appointments; the figures are in docs/operations.md, "Indexes at scale"):
 *  - the chart's re-assessments by client (it seq-scanned `reassessment`);
 *  - the clients page: `client.sort_name` (generated: lower(last name), tab, lower(first
 *    name)) is what the page sorts and pages by, and `client_name_idx` is (organization,
 *    sort_name, id), so a page, and the page after a cursor, is a walk of the index. A plain
 *    column matters under row-level security: PostgreSQL uses a condition as an index
 *    condition only when its functions are leakproof, and `lower()` is not, so a keyset
 *    condition over the expression could only filter a walk from the first client;
 *  - search by any part of a name or an email (`client_search_trgm_idx`) and of a phone's
 *    digits (`client_phone_trgm_idx`): trigram (pg_trgm) GIN indexes; and the clients a clinic
 *    reaches (clinic filter, clinic-limited members): GIN on `clinic_ids`, intakes and
 *    appointments by clinic and client. LIKE and the array operators are not leakproof
 *    either, so under row-level security none of these can use an index;
 *    `fascia_client_search(term, registeredAt, reach)` (SECURITY DEFINER, like
 *    fascia_ensure_user) runs the indexed queries for the current organization only
 *    (`fascia_current_org()`, nothing when unset) and returns ids, which the clients page then
 *    reads under row-level security, applying its filters again;
 *  - the task list by status and due time, for everyone's tasks, a clinic manager's (by
 *    clinic) and one practitioner's, with the id that breaks ties in the keyset;
 *  - a note's addenda.
 * pg_trgm is a trusted extension (PostgreSQL 13+): an owner with CREATE on the database may
 * create it, no superuser needed. Its operators and functions are executable by PUBLIC.
 */
export class IndexesAtScale1764710000000 implements MigrationInterface {
  name = 'IndexesAtScale1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;

      CREATE INDEX reassessment_client_idx ON reassessment (organization_id, client_id, assessed_at);

      ALTER TABLE client ADD COLUMN sort_name text GENERATED ALWAYS AS (lower(last_name) || chr(9) || lower(first_name)) STORED;
      DROP INDEX client_name_idx;
      CREATE INDEX client_name_idx ON client (organization_id, sort_name, id);

      -- What a search matches: the full name, the preferred (or first) name with the last name, the email; chr(1) between them.
      CREATE INDEX client_search_trgm_idx ON client USING gin ((
        lower(first_name || ' ' || last_name || chr(1) || coalesce(preferred_name, first_name) || ' ' || last_name || chr(1) || coalesce(email, ''))
      ) gin_trgm_ops);
      CREATE INDEX client_phone_trgm_idx ON client USING gin ((regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')) gin_trgm_ops);

      -- Which clients a clinic reaches (auth/scope.ts: registered there, or an intake or appointment there).
      CREATE INDEX client_clinics_idx ON client USING gin (clinic_ids);
      CREATE INDEX intake_clinic_client_idx ON intake (organization_id, clinic_id, client_id);
      CREATE INDEX appointment_clinic_client_idx ON appointment (organization_id, clinic_id, client_id);

      -- The ids of the current organization's clients that match every filter given (NULL: not
      -- filtered; at least one is needed), for the clients page (ClientService.list), which then
      -- reads them under row-level security and applies the same filters again:
      --  p_term (normalised by the API: trimmed, lower case, single spaces): three or more
      --    characters anywhere in the names or the email, one or two at the start of a name word
      --    (or of the email); three or more digits in it also anywhere in the phone's digits;
      --  p_registered_at: a clinic in the client's clinic_ids;
      --  p_reach: clinics the client is registered at, or has an intake or appointment at.
      -- Each query is planned with its values (EXECUTE), so it uses the trigram, GIN and btree indexes.
      CREATE FUNCTION fascia_client_search(p_term text, p_registered_at uuid, p_reach uuid[]) RETURNS SETOF uuid
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 200 AS $f$
        DECLARE
          v_org uuid := fascia_current_org();
          v_term text := nullif(p_term, '');
          v_like text := replace(replace(replace(nullif(p_term, ''), '\\', '\\\\'), '%', '\\%'), '_', '\\_');
          v_digits text := regexp_replace(coalesce(p_term, ''), '[^0-9]', '', 'g');
          v_text constant text := $t$lower(c.first_name || ' ' || c.last_name || chr(1) || coalesce(c.preferred_name, c.first_name) || ' ' || c.last_name || chr(1) || coalesce(c.email, ''))$t$;
          v_match text;
          v_where text := 'c.organization_id = $1';
        BEGIN
          IF v_org IS NULL THEN RETURN; END IF;
          IF v_term IS NULL AND p_registered_at IS NULL AND p_reach IS NULL THEN
            RAISE EXCEPTION 'fascia_client_search needs a term, a clinic or the clinics reached' USING ERRCODE = 'invalid_parameter_value';
          END IF;
          IF v_term IS NOT NULL THEN
            v_match := CASE WHEN length(v_term) >= 3 THEN format('%s LIKE %L', v_text, '%' || v_like || '%')
              ELSE format('%1$s LIKE %2$L OR %1$s LIKE %3$L OR %1$s LIKE %4$L', v_text, v_like || '%', '% ' || v_like || '%', '%' || chr(1) || v_like || '%') END;
            IF length(v_digits) >= 3 THEN
              v_match := v_match || format($t$ OR regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g') LIKE %L$t$, '%' || v_digits || '%');
            END IF;
            v_where := v_where || ' AND (' || v_match || ')';
          END IF;
          IF p_registered_at IS NOT NULL THEN v_where := v_where || ' AND c.clinic_ids @> ARRAY[$2]'; END IF;
          IF p_reach IS NULL THEN
            RETURN QUERY EXECUTE 'SELECT c.id FROM client c WHERE ' || v_where USING v_org, p_registered_at;
          ELSIF v_term IS NULL AND p_registered_at IS NULL THEN
            -- Everyone the clinics reach: bounded by the clinics' own records, not the organization.
            RETURN QUERY EXECUTE 'SELECT c.id FROM client c WHERE c.organization_id = $1 AND c.clinic_ids && $3
              UNION SELECT i.client_id FROM intake i WHERE i.organization_id = $1 AND i.clinic_id = ANY($3)
              UNION SELECT a.client_id FROM appointment a WHERE a.organization_id = $1 AND a.clinic_id = ANY($3)' USING v_org, p_registered_at, p_reach;
          ELSE
            RETURN QUERY EXECUTE 'SELECT c.id FROM client c WHERE ' || v_where || ' AND (c.clinic_ids && $3
              OR EXISTS (SELECT 1 FROM intake i WHERE i.organization_id = $1 AND i.client_id = c.id AND i.clinic_id = ANY($3))
              OR EXISTS (SELECT 1 FROM appointment a WHERE a.organization_id = $1 AND a.client_id = c.id AND a.clinic_id = ANY($3)))'
              USING v_org, p_registered_at, p_reach;
          END IF;
        END $f$;
      REVOKE ALL ON FUNCTION fascia_client_search(text, uuid, uuid[]) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION fascia_client_search(text, uuid, uuid[]) TO fascia_app;

      CREATE INDEX practitioner_task_status_due_idx ON practitioner_task (organization_id, status, due_at, id);
      CREATE INDEX practitioner_task_clinic_idx ON practitioner_task (organization_id, clinic_id, status, due_at, id);
      DROP INDEX practitioner_task_open_idx;
      CREATE INDEX practitioner_task_open_idx ON practitioner_task (organization_id, practitioner_id, status, due_at, id);

      CREATE INDEX session_addendum_note_idx ON session_addendum (organization_id, note_id, created_at);
    `);
  }

  /** Leaves pg_trgm installed (other objects may use it). */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS session_addendum_note_idx;
      DROP INDEX IF EXISTS practitioner_task_open_idx;
      CREATE INDEX practitioner_task_open_idx ON practitioner_task (organization_id, practitioner_id, status, due_at);
      DROP INDEX IF EXISTS practitioner_task_clinic_idx;
      DROP INDEX IF EXISTS practitioner_task_status_due_idx;
      DROP FUNCTION IF EXISTS fascia_client_search(text, uuid, uuid[]);
      DROP INDEX IF EXISTS appointment_clinic_client_idx;
      DROP INDEX IF EXISTS intake_clinic_client_idx;
      DROP INDEX IF EXISTS client_clinics_idx;
      DROP INDEX IF EXISTS client_phone_trgm_idx;
      DROP INDEX IF EXISTS client_search_trgm_idx;
      DROP INDEX IF EXISTS client_name_idx;
      ALTER TABLE client DROP COLUMN IF EXISTS sort_name;
      CREATE INDEX client_name_idx ON client (organization_id, lower(last_name), lower(first_name), id);
      DROP INDEX IF EXISTS reassessment_client_idx;
    `);
  }
}

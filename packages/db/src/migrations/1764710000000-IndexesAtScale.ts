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
 *    digits (`client_phone_trgm_idx`): trigram (pg_trgm) GIN indexes. LIKE is not leakproof
 *    either, so under row-level security no LIKE can use them; `fascia_client_search(term)`
 *    (SECURITY DEFINER, like fascia_ensure_user) runs the indexed LIKE for the current
 *    organization only (`fascia_current_org()`, nothing when unset) and returns ids, which the
 *    clients page then reads under row-level security with every other filter;
 *  - the task list by status and due time, for everyone's tasks and for one practitioner's,
 *    with the id that breaks ties in the keyset;
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

      -- The ids of the current organization's clients that a search term matches (ClientService.list
      -- normalises it: trimmed, lower case, single spaces). Three or more characters: anywhere in
      -- the names or the email; one or two: the start of a name word (or of the email). Three or
      -- more digits in the term: anywhere in the phone's digits too. Each LIKE is planned with its
      -- pattern (EXECUTE), so it uses the trigram indexes.
      CREATE FUNCTION fascia_client_search(p_term text) RETURNS SETOF uuid
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 200 AS $f$
        DECLARE
          v_org uuid := fascia_current_org();
          v_like text := replace(replace(replace(p_term, '\\', '\\\\'), '%', '\\%'), '_', '\\_');
          v_digits text := regexp_replace(coalesce(p_term, ''), '[^0-9]', '', 'g');
          v_text constant text := $t$lower(first_name || ' ' || last_name || chr(1) || coalesce(preferred_name, first_name) || ' ' || last_name || chr(1) || coalesce(email, ''))$t$;
          v_where text;
        BEGIN
          IF v_org IS NULL OR p_term IS NULL OR p_term = '' THEN RETURN; END IF;
          v_where := CASE WHEN length(p_term) >= 3 THEN format('%s LIKE %L', v_text, '%' || v_like || '%')
            ELSE format('%1$s LIKE %2$L OR %1$s LIKE %3$L OR %1$s LIKE %4$L', v_text, v_like || '%', '% ' || v_like || '%', '%' || chr(1) || v_like || '%') END;
          IF length(v_digits) >= 3 THEN
            v_where := v_where || format($t$ OR regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') LIKE %L$t$, '%' || v_digits || '%');
          END IF;
          RETURN QUERY EXECUTE format('SELECT id FROM client WHERE organization_id = $1 AND (%s)', v_where) USING v_org;
        END $f$;
      REVOKE ALL ON FUNCTION fascia_client_search(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION fascia_client_search(text) TO fascia_app;

      CREATE INDEX practitioner_task_status_due_idx ON practitioner_task (organization_id, status, due_at, id);
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
      DROP INDEX IF EXISTS practitioner_task_status_due_idx;
      DROP FUNCTION IF EXISTS fascia_client_search(text);
      DROP INDEX IF EXISTS client_phone_trgm_idx;
      DROP INDEX IF EXISTS client_search_trgm_idx;
      DROP INDEX IF EXISTS client_name_idx;
      ALTER TABLE client DROP COLUMN IF EXISTS sort_name;
      CREATE INDEX client_name_idx ON client (organization_id, lower(last_name), lower(first_name), id);
      DROP INDEX IF EXISTS reassessment_client_idx;
    `);
  }
}

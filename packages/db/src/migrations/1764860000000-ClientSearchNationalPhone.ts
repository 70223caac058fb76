import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Client search finds a phone number typed the way people say it: "07700 900123" (the trunk 0
 * of a national number) or "0044 7700 900123" (the international 00) also matches the number
 * stored in international form, +447700900123 — the digits after the 0 or 00, six or more of
 * them, anywhere in the stored digits, over the same trigram index (client_phone_trgm_idx).
 * The rest of `fascia_client_search` is as IndexesAtScale1764710000000 left it.
 */
export class ClientSearchNationalPhone1764860000000 implements MigrationInterface {
  name = 'ClientSearchNationalPhone1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION fascia_client_search(p_term text, p_registered_at uuid, p_reach uuid[]) RETURNS SETOF uuid
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 200 AS $f$
        DECLARE
          v_org uuid := fascia_current_org();
          v_term text := nullif(p_term, '');
          v_like text := replace(replace(replace(nullif(p_term, ''), '\\', '\\\\'), '%', '\\%'), '_', '\\_');
          v_digits text := regexp_replace(coalesce(p_term, ''), '[^0-9]', '', 'g');
          v_text constant text := $t$lower(c.first_name || ' ' || c.last_name || chr(1) || coalesce(c.preferred_name, c.first_name) || ' ' || c.last_name || chr(1) || coalesce(c.email, ''))$t$;
          v_match text;
          v_national text;
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
              -- A number typed as it is dialled at home (07700 900123) or from abroad (0044 7700 900123)
              -- also finds it stored in international form (+447700900123): without its trunk 0 or its 00.
              v_national := CASE WHEN v_digits LIKE '00%' THEN substr(v_digits, 3) WHEN v_digits LIKE '0%' THEN substr(v_digits, 2) END;
              IF length(v_national) >= 6 THEN
                v_match := v_match || format($t$ OR regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g') LIKE %L$t$, '%' || v_national || '%');
              END IF;
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
    `);
  }

  /** Puts back the previous body: IndexesAtScale's down drops the function with its indexes. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION fascia_client_search(p_term text, p_registered_at uuid, p_reach uuid[]) RETURNS SETOF uuid
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
    `);
  }
}

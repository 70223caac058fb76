import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './rls';

/**
 * Issue 14: the referral flow roll-up (docs/reports.md "Referral flows").
 *
 *  - report_referral: per organization, clinic, clinic-local day (the day the referral was sent,
 *    in that clinic's zone), direction (SENT: this clinic referred; RECEIVED: this clinic was
 *    referred to), from-discipline (the referring practitioner's, UNKNOWN when none was named),
 *    to-discipline (the referral's target discipline) and partner organization (the other side;
 *    the organization itself for an internal referral): how many were sent / received, how many
 *    of them were accepted, and the summed hours from sending to acceptance.
 *  - Dirty marks: triggers on `referral` (the referrer's row), `referral_inbox` (the receiver's,
 *    inserted and updated through the exchange door as fascia_exchange) and `referral_event`
 *    (an ACCEPTED event) mark (clinic, sent day) in the changing transaction. The trigger
 *    functions are SECURITY DEFINER, so they write report_dirty whatever role the statement runs as.
 *  - Recompute: `fascia_report_recompute_day` now also recomputes the clinic-day's referral rows
 *    (the old body is kept as `fascia_report_recompute_day_counts`), so the existing drain and
 *    nightly reconcile keep them current; `fascia_report_mark_all` also marks every referral's day.
 *
 * The received side's from-discipline is read from the referrer's row (same id, the source
 * organization): the one cross-organization read here, inside a definer function.
 */
export class ReferralFlowRollup1764940000000 implements MigrationInterface {
  name = 'ReferralFlowRollup1764940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_referral (
        organization_id uuid NOT NULL,
        clinic_id uuid NOT NULL,
        day date NOT NULL,
        direction text NOT NULL CHECK (direction IN ('SENT','RECEIVED')),
        from_discipline text NOT NULL,
        to_discipline text NOT NULL,
        partner_organization_id uuid NOT NULL,
        sent int NOT NULL,
        received int NOT NULL,
        accepted int NOT NULL,
        hours_to_accept numeric NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, clinic_id, day, direction, from_discipline, to_discipline, partner_organization_id),
        FOREIGN KEY (organization_id, clinic_id) REFERENCES clinic(organization_id, id)
      );
      CREATE INDEX report_referral_org_day_idx ON report_referral (organization_id, day);

      CREATE INDEX referral_clinic_sent_idx ON referral (organization_id, referring_clinic_id, sent_at) WHERE sent_at IS NOT NULL;
      CREATE INDEX referral_inbox_clinic_sent_idx ON referral_inbox (organization_id, clinic_id, sent_at);
      CREATE INDEX referral_event_accepted_idx ON referral_event (organization_id, referral_id, at) WHERE to_status = 'ACCEPTED';
    `);
    await q.query(tenantTableSql('report_referral', { app: 'SELECT' }));

    await q.query(`
      -- Marks -------------------------------------------------------------------------------
      CREATE FUNCTION fascia_report_on_referral() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          IF TG_TABLE_NAME = 'referral' THEN
            IF TG_OP = 'UPDATE' AND OLD.sent_at IS NOT NULL THEN
              PERFORM fascia_report_mark_day(OLD.organization_id, OLD.referring_clinic_id, OLD.sent_at);
            END IF;
            IF NEW.sent_at IS NOT NULL THEN
              PERFORM fascia_report_mark_day(NEW.organization_id, NEW.referring_clinic_id, NEW.sent_at);
            END IF;
          ELSIF TG_TABLE_NAME = 'referral_inbox' THEN
            IF TG_OP = 'UPDATE' THEN
              PERFORM fascia_report_mark_day(OLD.organization_id, OLD.clinic_id, OLD.sent_at);
            END IF;
            PERFORM fascia_report_mark_day(NEW.organization_id, NEW.clinic_id, NEW.sent_at);
          ELSE
            -- An ACCEPTED event: the side it belongs to (the referrer's row or the receiver's, same id).
            PERFORM fascia_report_mark_day(r.organization_id, r.referring_clinic_id, r.sent_at) FROM referral r
              WHERE r.organization_id = NEW.organization_id AND r.id = NEW.referral_id AND r.sent_at IS NOT NULL;
            PERFORM fascia_report_mark_day(i.organization_id, i.clinic_id, i.sent_at) FROM referral_inbox i
              WHERE i.organization_id = NEW.organization_id AND i.id = NEW.referral_id;
          END IF;
          RETURN NULL;
        END $f$;
      CREATE TRIGGER referral_report_dirty AFTER INSERT OR UPDATE OF status, sent_at, referring_clinic_id, referring_practitioner_id, target_discipline, target_organization_id ON referral
        FOR EACH ROW EXECUTE FUNCTION fascia_report_on_referral();
      CREATE TRIGGER referral_inbox_report_dirty AFTER INSERT OR UPDATE OF status, sent_at, clinic_id, discipline ON referral_inbox
        FOR EACH ROW EXECUTE FUNCTION fascia_report_on_referral();
      CREATE TRIGGER referral_event_report_dirty AFTER INSERT ON referral_event
        FOR EACH ROW WHEN (NEW.to_status = 'ACCEPTED') EXECUTE FUNCTION fascia_report_on_referral();

      -- Recompute ---------------------------------------------------------------------------
      -- A referral counts as accepted once it has an ACCEPTED event on that side (later states,
      -- a cancellation after acceptance included, keep it accepted); hours from sent to that event.
      CREATE FUNCTION fascia_report_recompute_referrals(p_org uuid, p_clinic uuid, p_day date) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_zone text; v_from timestamptz; v_to timestamptz; v_now timestamptz := clock_timestamp();
        BEGIN
          SELECT time_zone INTO v_zone FROM clinic WHERE organization_id = p_org AND id = p_clinic;
          DELETE FROM report_referral WHERE organization_id = p_org AND clinic_id = p_clinic AND day = p_day;
          IF v_zone IS NULL THEN RETURN; END IF;
          v_from := p_day::timestamp AT TIME ZONE v_zone;
          v_to := (p_day + 1)::timestamp AT TIME ZONE v_zone;
          INSERT INTO report_referral (organization_id, clinic_id, day, direction, from_discipline, to_discipline, partner_organization_id,
                                       sent, received, accepted, hours_to_accept, computed_at)
          SELECT p_org, p_clinic, p_day, f.direction, f.from_discipline, f.to_discipline, f.partner,
                 count(*) FILTER (WHERE f.direction = 'SENT')::int, count(*) FILTER (WHERE f.direction = 'RECEIVED')::int,
                 count(f.accepted_at)::int, coalesce(sum(extract(epoch FROM f.accepted_at - f.sent_at) / 3600), 0), v_now
          FROM (
            SELECT 'SENT' AS direction, coalesce(p.discipline, 'UNKNOWN') AS from_discipline, r.target_discipline AS to_discipline,
                   r.target_organization_id AS partner, r.sent_at,
                   (SELECT min(e.at) FROM referral_event e WHERE e.organization_id = r.organization_id AND e.referral_id = r.id AND e.to_status = 'ACCEPTED') AS accepted_at
            FROM referral r
            LEFT JOIN practitioner p ON p.organization_id = r.organization_id AND p.id = r.referring_practitioner_id
            WHERE r.organization_id = p_org AND r.referring_clinic_id = p_clinic AND r.sent_at >= v_from AND r.sent_at < v_to
            UNION ALL
            SELECT 'RECEIVED', coalesce((SELECT sp.discipline FROM referral sr
                                           JOIN practitioner sp ON sp.organization_id = sr.organization_id AND sp.id = sr.referring_practitioner_id
                                          WHERE sr.organization_id = i.source_organization_id AND sr.id = i.id), 'UNKNOWN'),
                   i.discipline, i.source_organization_id, i.sent_at,
                   (SELECT min(e.at) FROM referral_event e WHERE e.organization_id = i.organization_id AND e.referral_id = i.id AND e.to_status = 'ACCEPTED')
            FROM referral_inbox i
            WHERE i.organization_id = p_org AND i.clinic_id = p_clinic AND i.sent_at >= v_from AND i.sent_at < v_to
          ) f
          GROUP BY f.direction, f.from_discipline, f.to_discipline, f.partner;
        END $f$;

      ALTER FUNCTION fascia_report_recompute_day(uuid, uuid, date) RENAME TO fascia_report_recompute_day_counts;
      CREATE FUNCTION fascia_report_recompute_day(p_org uuid, p_clinic uuid, p_day date) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        BEGIN
          PERFORM fascia_report_recompute_day_counts(p_org, p_clinic, p_day);
          PERFORM fascia_report_recompute_referrals(p_org, p_clinic, p_day);
        END $f$;

      ALTER FUNCTION fascia_report_mark_all() RENAME TO fascia_report_mark_all_counts;
      CREATE FUNCTION fascia_report_mark_all() RETURNS int
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_n int; v_m int;
        BEGIN
          v_n := fascia_report_mark_all_counts();
          v_m := fascia_report_mark_referral_days();
          RETURN v_n + v_m;
        END $f$;

      -- Every referral's sent day, on both sides (a referral may predate the clinic's first appointment).
      CREATE FUNCTION fascia_report_mark_referral_days() RETURNS int
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
        DECLARE v_n int; v_m int;
        BEGIN
          INSERT INTO report_dirty (organization_id, clinic_id, day)
          SELECT DISTINCT r.organization_id, r.referring_clinic_id, (r.sent_at AT TIME ZONE c.time_zone)::date
          FROM referral r JOIN clinic c ON c.organization_id = r.organization_id AND c.id = r.referring_clinic_id
          WHERE r.sent_at IS NOT NULL;
          GET DIAGNOSTICS v_n = ROW_COUNT;
          INSERT INTO report_dirty (organization_id, clinic_id, day)
          SELECT DISTINCT i.organization_id, i.clinic_id, (i.sent_at AT TIME ZONE c.time_zone)::date
          FROM referral_inbox i JOIN clinic c ON c.organization_id = i.organization_id AND c.id = i.clinic_id;
          GET DIAGNOSTICS v_m = ROW_COUNT;
          RETURN v_n + v_m;
        END $f$;

      REVOKE ALL ON FUNCTION fascia_report_recompute_referrals(uuid, uuid, date), fascia_report_recompute_day(uuid, uuid, date),
        fascia_report_mark_all(), fascia_report_mark_referral_days() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION fascia_report_mark_all() TO fascia_system;

      SELECT fascia_report_mark_referral_days();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS referral_report_dirty ON referral;
      DROP TRIGGER IF EXISTS referral_inbox_report_dirty ON referral_inbox;
      DROP TRIGGER IF EXISTS referral_event_report_dirty ON referral_event;
      DROP FUNCTION IF EXISTS fascia_report_on_referral(), fascia_report_recompute_day(uuid, uuid, date),
        fascia_report_recompute_referrals(uuid, uuid, date), fascia_report_mark_all(), fascia_report_mark_referral_days();
      ALTER FUNCTION fascia_report_recompute_day_counts(uuid, uuid, date) RENAME TO fascia_report_recompute_day;
      ALTER FUNCTION fascia_report_mark_all_counts() RENAME TO fascia_report_mark_all;
      DROP INDEX IF EXISTS referral_clinic_sent_idx, referral_inbox_clinic_sent_idx, referral_event_accepted_idx;
      DROP TABLE IF EXISTS report_referral;
    `);
  }
}

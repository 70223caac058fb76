import type { OrgFilterException } from '../../../packages/db/src/testing/org-filter';

/**
 * The statements allowed to read a tenant table without naming one organization (issue 16
 * §1, docs/architecture.md "Every query names its organization"), each with its reason. A
 * per-request read is never one: it knows its organization. What remains reads across
 * organizations on purpose — a database distributed by organization runs it on every shard.
 * `app` is the test that must see it used (an exception no statement needs any more fails
 * that test, so the list cannot go stale).
 */
export const ORG_FILTER_EXCEPTIONS: (OrgFilterException & { app: 'api' | 'worker' })[] = [
  {
    app: 'api',
    table: 'membership',
    statement: /^SELECT .* FROM "membership" "Membership" WHERE \(\("Membership"\."user_id" = \$1\) AND \("Membership"\."status" = \$2\)\) ORDER BY "Membership"\."created_at" ASC$/,
    reason: 'Sign-in (auth.service signIn): a person signs in before any organization is chosen and may belong to several; their memberships are looked up by user across organizations, once per sign-in (a multi-shard read under Citus).',
  },
  // Doors opened by a token that carries a row's id and no organization (links already sent must
  // keep working): the row is found by its id, and every statement after names its organization.
  {
    app: 'api',
    table: 'invitation',
    statement: /FROM "invitation" "(Invitation|i)" WHERE (\(\("Invitation"\."id" = \$1\)\) LIMIT 1|"i"\."id" = \$1 FOR UPDATE)$/,
    reason: 'Accepting an invitation (auth.service acceptInvitation): the emailed token names the invitation only; the person has no organization until it is read.',
  },
  {
    app: 'api',
    table: 'appointment',
    statement: /FROM "appointment" "Appointment" WHERE \(\("Appointment"\."id" = \$1\)\) LIMIT 1$/,
    reason: 'A reminder link (public-link.ts fromLink): the signed token names the appointment only; the client clicking it has no session.',
  },
  {
    app: 'api',
    table: 'practitioner_feed',
    statement: /^SELECT organization_id, practitioner_id, include_client_names FROM practitioner_feed WHERE token_hash = \$1$/,
    reason: 'A calendar feed (practitioner-feed): the URL holds only its secret token; the calendar app fetching it has no session. Distributed, a lookup of one unique hash on every shard (or a token-to-organization reference table).',
  },
  // The worker's sweeps: they find due work in every organization at once, on purpose (a
  // database distributed by organization runs them on every shard). Each row they claim then
  // goes to a job that names its organization in every statement.
  {
    app: 'worker',
    table: 'outbox_message',
    statement: /^WITH c AS \( SELECT id(, organization_id)? FROM outbox_message WHERE dispatched_at IS NULL AND \(claimed_until IS NULL OR claimed_until <= now\(\)\) ORDER BY created_at/,
    reason: 'The outbox relay (relay.ts) claims the oldest pending rows of every organization, and system jobs have no organization (organization_id is NULL).',
  },
  {
    app: 'worker',
    table: 'clinic',
    statement: /^SELECT id, organization_id, time_zone FROM clinic WHERE archived_at IS NULL ORDER BY id$/,
    reason: 'The sweep fan-out (sweeps.ts sweep.fanout) lists every clinic of every organization, to queue one sweep.clinic job per clinic (each job then reads only its organization).',
  },
  {
    app: 'worker',
    table: 'referral_inbox',
    statement: /^WITH due AS \( SELECT organization_id, id FROM referral_inbox WHERE status = 'SENT' AND (reminded_at|escalated_at) IS NULL/,
    reason: 'The referral sweep (referrals.ts claimReferralFollowUps) claims the follow-ups that fell due in every receiving organization; each claimed row is updated by its own organization and id.',
  },
  {
    app: 'worker',
    table: 'referral_inbox',
    statement: /^SELECT source_organization_id, id FROM referral_inbox WHERE status = 'SENT' AND valid_until <= \$1/,
    reason: 'The referral sweep lists the referrals past their validity in every organization; each is expired by the referral core, which names the organization.',
  },
  {
    app: 'worker',
    table: 'report_dirty',
    statement: /^\[fascia_report_drain\] WITH d AS \( DELETE FROM report_dirty/,
    reason: 'The report drain (fascia_report_drain, the report.drain job) takes the oldest marks of every organization off the work queue; the recomputes it calls are keyed by organization.',
  },
  {
    app: 'worker',
    table: 'clinic',
    statement: /^\[fascia_report_mark_recent\] INSERT INTO report_dirty \(organization_id, clinic_id, day\) SELECT c\.organization_id, c\.id/,
    reason: 'The nightly report reconcile (fascia_report_mark_recent) marks every clinic’s recent days in every organization.',
  },
  {
    app: 'worker',
    table: 'treatment_plan',
    statement: /^\[fascia_report_mark_recent\] INSERT INTO report_dirty \(organization_id, clinic_id, plan_id\) SELECT organization_id, clinic_id, id FROM treatment_plan/,
    reason: 'The nightly report reconcile (fascia_report_mark_recent) marks every live plan of every organization.',
  },
  // Not a sweep: a read of another organization's row, by design, and the one to change
  // before distributing (docs/architecture.md).
  {
    app: 'worker',
    table: 'clinic',
    statement: /^SELECT r\.id, r\.organization_id, r\.status, .* JOIN clinic tc ON tc\.organization_id = r\.target_organization_id AND tc\.id = r\.target_clinic_id/,
    reason:
      'A referral follow-up to the referrer (referrals.ts referrerView) names the partner’s clinic: it joins the referral to the partner organization’s clinic row (directory data, read as the system role). It names that organization, but the join crosses organizations; distributed, the name must come with the referral (kept on the row, as referral_inbox keeps the source clinic’s name) or from a reference table.',
  },
];

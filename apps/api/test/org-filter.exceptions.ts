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
];

import type { Db } from '@fascia/db';
import { createOrganizationWithAdmin } from './provisioning';

/** For tests: an organization with one admin who can sign in with `password`. */
export function createOrgWithAdmin(
  db: Db,
  input: { orgName: string; email: string; password: string; displayName?: string },
): Promise<{ organizationId: string; userId: string }> {
  return createOrganizationWithAdmin(db.dataSource, input);
}

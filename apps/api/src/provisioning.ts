import { Membership, Organization, User } from '@fascia/db';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { hashPassword, PASSWORD_MIN } from './auth/passwords';
import { email, name, parse } from './common/validation';

const schema = z.object({
  orgName: name(200),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be lowercase letters, digits and dashes').optional(),
  email,
  displayName: name(200).optional(),
  password: z.string().min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`),
});

const slugify = (s: string): string =>
  s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'organization';

/**
 * Creates an organization and its first admin. This is the one operation that
 * precedes any tenant, so it runs on the owner connection (CLI, seed, tests) and is
 * not exposed through GraphQL.
 */
export async function createOrganizationWithAdmin(
  dataSource: DataSource,
  input: { orgName: string; slug?: string; email: string; displayName?: string; password: string },
): Promise<{ organizationId: string; userId: string }> {
  const data = parse(schema, input);
  const passwordHash = await hashPassword(data.password);
  return dataSource.transaction(async (em) => {
    const org = await em.save(em.create(Organization, { name: data.orgName, slug: data.slug ?? slugify(data.orgName) }));
    let user = await em.findOneBy(User, { email: data.email });
    if (!user) {
      user = await em.save(
        em.create(User, { email: data.email, displayName: data.displayName ?? data.email.split('@')[0], passwordHash, status: 'ACTIVE', lastSignInAt: null }),
      );
    }
    await em.insert(Membership, { organizationId: org.id, userId: user.id, role: 'ORG_ADMIN', clinicIds: [], status: 'ACTIVE' });
    return { organizationId: org.id, userId: user.id };
  });
}

#!/usr/bin/env node
/**
 * `npm run scale -w @fascia/db -- --clients 100000 --appointments 2000000 --database-url postgres://…`:
 * fills a migrated database with one large organization (packages/db/src/testing/scale.ts) and
 * prints the well-known ids (JSON) the benchmarks query. The URL is the owner's (the migrating
 * role): DATABASE_URL by default. `--migrate` applies the migrations first.
 */
import { parseArgs } from 'node:util';
import { createDataSource, migrate } from '../data-source';
import { generateScale } from '../testing/scale';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string' },
      appointments: { type: 'string' },
      clinics: { type: 'string' },
      'practitioners-per-clinic': { type: 'string' },
      'other-organizations': { type: 'string' },
      slug: { type: 'string' },
      'time-zone': { type: 'string' },
      'database-url': { type: 'string' },
      'password-hash': { type: 'string' },
      'full-bodies': { type: 'boolean' },
      migrate: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run scale -w @fascia/db -- [--clients N] [--appointments N] [--clinics N] [--practitioners-per-clinic N] [--other-organizations N] [--slug s] [--time-zone Z] [--password-hash argon2id] [--full-bodies] [--migrate] [--database-url URL]\n');
    return;
  }
  const url = values['database-url'] ?? process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('give --database-url (the owner of a migrated database) or set DATABASE_URL');
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d[\d_]*$/.test(v)) throw new Error(`--${name} must be a whole number (got ${v})`);
    return Number(v.replace(/_/g, ''));
  };
  if (values.migrate) await migrate(url);
  const ds = createDataSource({ url, poolSize: 2 });
  await ds.initialize();
  try {
    const result = await generateScale(ds, {
      clients: num('clients', values.clients),
      appointments: num('appointments', values.appointments),
      clinics: num('clinics', values.clinics),
      practitionersPerClinic: num('practitioners-per-clinic', values['practitioners-per-clinic']),
      otherOrganizations: num('other-organizations', values['other-organizations']),
      slug: values.slug,
      timeZone: values['time-zone'],
      passwordHash: values['password-hash'] ?? null,
      fullBodies: values['full-bodies'] ?? false,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`scale failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

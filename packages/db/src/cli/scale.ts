#!/usr/bin/env node
/**
 * `npm run scale -w @fascia/db -- --clients 100000 --appointments 2000000 --database-url postgres://…`:
 * fills a migrated database with one large organization (packages/db/src/testing/scale.ts) and
 * prints the well-known ids (JSON) the benchmarks query. The URL is the owner's (the migrating
 * role): DATABASE_URL by default. `--migrate` applies the migrations first.
 *
 * `--fraction 0.1` takes the reference chain of issue 14 (1,000 clinics, 10,000 practitioners,
 * 1 M clients, 20 M appointments) at that fraction, in the reports shape (three time zones,
 * referrals, a partner organization…); `--clients` etc. still override its numbers. A progress
 * bar goes to stderr (the step lines too with `--verbose`); the JSON to stdout.
 */
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { createDataSource, migrate } from '../data-source';
import { generateScale, referenceShape } from '../testing/scale';

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
      'time-zones': { type: 'string' },
      fraction: { type: 'string' },
      reports: { type: 'boolean' },
      verbose: { type: 'boolean' },
      'database-url': { type: 'string' },
      'password-hash': { type: 'string' },
      'full-bodies': { type: 'boolean' },
      migrate: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run scale -w @fascia/db -- [--clients N] [--appointments N] [--clinics N] [--practitioners-per-clinic N] [--other-organizations N] [--fraction F] [--reports] [--time-zones Z1,Z2] [--slug s] [--time-zone Z] [--verbose] [--password-hash argon2id] [--full-bodies] [--migrate] [--database-url URL]\n');
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
  let reference = {};
  if (values.fraction !== undefined) {
    if (!/^(0?\.\d+|1(\.0*)?)$/.test(values.fraction)) throw new Error(`--fraction must be a number more than 0 and at most 1 (got ${values.fraction})`);
    reference = referenceShape(Number(values.fraction));
  }
  const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const bar = new SingleBar({
      format: 'scale [{bar}] {percentage}% | {value}/{total} steps | {duration_formatted} | {step}',
      stream: process.stderr,
      hideCursor: true,
      // Not a terminal (a log file, CI): a line every 30 s instead of redrawing.
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 30_000,
    }, Presets.shades_classic);
  const ds = createDataSource({ url, poolSize: 2 });
  await ds.initialize();
  let started = false;
  try {
    const result = await generateScale(ds, {
      ...reference,
      ...defined({
        clients: num('clients', values.clients),
        appointments: num('appointments', values.appointments),
        clinics: num('clinics', values.clinics),
        practitionersPerClinic: num('practitioners-per-clinic', values['practitioners-per-clinic']),
        otherOrganizations: num('other-organizations', values['other-organizations']),
        slug: values.slug,
        timeZone: values['time-zone'],
        timeZones: values['time-zones']?.split(',').map((z) => z.trim()),
        reports: values.reports,
      }),
      passwordHash: values['password-hash'] ?? null,
      fullBodies: values['full-bodies'] ?? false,
      log: (line) => {
        if (values.verbose) process.stderr.write(`\n${line}\n`);
      },
      progress: (done, total, step) => {
        if (!started) {
          bar.start(total, done, { step });
          started = true;
        }
        bar.setTotal(total);
        bar.update(done, { step });
      },
    });
    bar.stop();
    started = false;
    process.stderr.write(`${Object.values(result.counts).reduce((a, b) => a + b, 0).toLocaleString('en')} rows in ${(result.ms / 1000).toFixed(1)} s: ${result.rowsPerSecond.toLocaleString('en')} rows/s\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (started) bar.stop();
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`scale failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { createDataSource } from '@fascia/db';
import { DEMO_ADMIN, seedDemo } from '../seed';
import { PARTNER_ADMIN } from '../seed-referrals';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const ds = createDataSource({ url, poolSize: 2, applicationName: 'fascia-seed' });
  await ds.initialize();
  try {
    const { created } = await seedDemo(ds);
    process.stdout.write(created ? 'demo chain seeded\n' : 'demo chain already present; left as it is\n');
    process.stdout.write(`demo admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}\n`);
    process.stdout.write(`demo admin (partner clinic): ${PARTNER_ADMIN.email} / ${PARTNER_ADMIN.password}\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seeding failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

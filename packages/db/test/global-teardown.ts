import { adminQuery } from '../src/testing';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.FASCIA_TEMPLATE_DB;
  if (template) await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
}

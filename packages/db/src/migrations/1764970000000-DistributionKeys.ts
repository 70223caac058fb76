import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16 §1: every tenant table keyed by its organization, so the schema can be distributed
 * by `organization_id` (Citus; docs/scale-out.md) — the rules are in
 * packages/db/src/distribution.ts and held by migrations/distribution.int.test.ts.
 *
 * - Primary keys `(id)` become `(id, organization_id)`. `id` first on purpose: the worker and
 *   sign-in still look rows up by id alone, and the one index serves those lookups, the
 *   `(organization_id, id)` foreign keys (PostgreSQL matches a foreign key's columns to a
 *   unique index in any order) and Citus's rule alike. The separate `UNIQUE (organization_id,
 *   id)` constraints that the composite foreign keys used are dropped: one index per table
 *   less than before.
 * - Unique constraints and unique indexes gain `organization_id` (same names, so the error
 *   mapping and the plan tests that name them hold); exclusion constraints compare it with `=`.
 * - The one foreign key between tenant tables without it (invitation → membership) gains it.
 * - `organization_id` becomes NOT NULL on audit_event, outbox_message and delivery (a
 *   distribution column has a value): audit events written before any organization is known
 *   (a refused sign-in) are filed under the nil uuid, NO_ORGANIZATION in distribution.ts;
 *   rows already stored without one get it too, so nothing is lost.
 *
 * The foreign keys that point at a re-keyed table are dropped first and put back, unchanged,
 * at the end (they are validated again).
 */
const NO_ORGANIZATION = '00000000-0000-0000-0000-000000000000';

/** Tables whose primary key was `(id)`. */
const REKEYED = [
  'clinic', 'room', 'practitioner', 'client', 'intake', 'treatment_plan', 'appointment', 'session_note',
  'membership', 'invitation', 'refresh_token', 'audit_event', 'access_grant', 'outbox_message', 'delivery',
  'practitioner_availability', 'plan_version', 'session_addendum', 'reassessment', 'reminder_policy', 'reminder', 'practitioner_task',
];

/** Unique constraints without organization_id: [table, constraint, columns before → organization_id is put first]. */
const UNIQUES: [string, string, string][] = [
  ['room', 'room_clinic_id_name_key', 'clinic_id, name'],
  ['refresh_token', 'refresh_token_token_hash_key', 'token_hash'],
  ['delivery', 'delivery_delivery_key_key', 'delivery_key'],
  ['intake', 'intake_client_id_version_key', 'client_id, version'],
  ['plan_version', 'plan_version_plan_id_version_key', 'plan_id, version'],
  ['session_note', 'session_note_appointment_id_key', 'appointment_id'],
  ['reminder_policy', 'reminder_policy_clinic_id_key', 'clinic_id'],
  ['reminder', 'reminder_delivery_key_key', 'delivery_key'],
  ['practitioner_task', 'practitioner_task_dedupe_key_key', 'dedupe_key'],
];

const BOOKED = `status = ANY (ARRAY['BOOKED'::text, 'CHECKED_IN'::text, 'COMPLETED'::text])`;

export class DistributionKeys1764970000000 implements MigrationInterface {
  name = 'DistributionKeys1764970000000';

  async up(q: QueryRunner): Promise<void> {
    // A distribution column has a value.
    // audit_event is append-only (a trigger refuses every UPDATE): set aside for this one, in this transaction.
    await q.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`);
    for (const t of ['audit_event', 'outbox_message', 'delivery']) {
      await q.query(`UPDATE ${t} SET organization_id = '${NO_ORGANIZATION}' WHERE organization_id IS NULL`);
      await q.query(`ALTER TABLE ${t} ALTER COLUMN organization_id SET NOT NULL`);
    }
    await q.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`);
    // fascia_app could file an event with no organization when none was set: now the nil uuid.
    await q.query(`
      DROP POLICY audit_tenant_insert ON audit_event;
      CREATE POLICY audit_tenant_insert ON audit_event FOR INSERT TO fascia_app
        WITH CHECK (organization_id = coalesce(fascia_current_org(), '${NO_ORGANIZATION}'::uuid));`);

    const pointing = (await q.query(
      `SELECT conrelid::regclass::text AS "table", conname AS name, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE contype = 'f' AND confrelid = ANY($1::regclass[]) ORDER BY 1, 2`,
      [REKEYED],
    )) as { table: string; name: string; def: string }[];
    for (const fk of pointing) await q.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);

    for (const t of REKEYED) {
      await q.query(`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${t}_organization_id_id_key`);
      await q.query(`ALTER TABLE ${t} DROP CONSTRAINT ${t}_pkey, ADD CONSTRAINT ${t}_pkey PRIMARY KEY (id, organization_id)`);
    }
    await q.query(`ALTER TABLE appointment_link_use DROP CONSTRAINT appointment_link_use_pkey,
      ADD CONSTRAINT appointment_link_use_pkey PRIMARY KEY (organization_id, appointment_id, purpose, starts_at)`);

    for (const [t, name, cols] of UNIQUES) {
      await q.query(`ALTER TABLE ${t} DROP CONSTRAINT ${name}, ADD CONSTRAINT ${name} UNIQUE (organization_id, ${cols})`);
    }
    // A refresh is looked up by its token's hash before the organization is known.
    await q.query(`CREATE INDEX refresh_token_hash_idx ON refresh_token (token_hash)`);
    await q.query(`
      DROP INDEX treatment_plan_one_active_per_complaint;
      CREATE UNIQUE INDEX treatment_plan_one_active_per_complaint ON treatment_plan (organization_id, client_id, complaint_key)
        WHERE status = ANY (ARRAY['ACTIVE'::text, 'MAINTENANCE'::text]);`);

    await q.query(`
      ALTER TABLE practitioner_availability DROP CONSTRAINT practitioner_availability_no_overlap,
        ADD CONSTRAINT practitioner_availability_no_overlap EXCLUDE USING gist
          (organization_id WITH =, practitioner_id WITH =, weekday WITH =, int4range(start_minute::integer, end_minute::integer) WITH &&);
      ALTER TABLE appointment
        DROP CONSTRAINT appointment_client_no_overlap,
        DROP CONSTRAINT appointment_practitioner_no_overlap,
        DROP CONSTRAINT appointment_room_no_overlap,
        ADD CONSTRAINT appointment_client_no_overlap EXCLUDE USING gist
          (organization_id WITH =, client_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (${BOOKED}),
        ADD CONSTRAINT appointment_practitioner_no_overlap EXCLUDE USING gist
          (organization_id WITH =, practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (${BOOKED}),
        ADD CONSTRAINT appointment_room_no_overlap EXCLUDE USING gist
          (organization_id WITH =, room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (room_id IS NOT NULL AND ${BOOKED});`);

    for (const fk of pointing) {
      const def = fk.name === 'invitation_membership_id_fkey' ? 'FOREIGN KEY (organization_id, membership_id) REFERENCES membership(organization_id, id)' : fk.def;
      await q.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${def}`);
    }
  }

  async down(): Promise<void> {
    throw new Error('DistributionKeys1764970000000 is not reverted: the keys it widened hold every row the narrower ones did; restore a backup to go back.');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `fascia_queue`: the role BullMQ's PostgreSQL backend works as (its connections set it at
 * startup), holding only the queue schema. With it the apps can log in as a runtime role
 * that owns nothing (`fascia_runtime`, NOINHERIT, a member of fascia_app, fascia_system
 * and fascia_queue) on the embedded default and on a real server alike. The queue schema
 * itself is created and granted by `migrateQueueSchema` after these migrations.
 */
export class QueueRole1764350000000 implements MigrationInterface {
  name = 'QueueRole1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        CREATE ROLE fascia_queue NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
      DO $$ BEGIN
        EXECUTE format('GRANT fascia_queue TO %I', current_user);
      EXCEPTION WHEN others THEN NULL; END $$;
    `);
  }

  async down(): Promise<void> {
    // Roles are cluster-wide and may serve other databases: left in place.
  }
}

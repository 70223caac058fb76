import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far ahead a clinic takes bookings: a booking or a plan series may start at most
 * `max_booking_horizon_days` days after today in the clinic's zone (default 365, 1–1095).
 * Before this, a booking in the year 9999 was accepted.
 */
export class BookingHorizon1764600000000 implements MigrationInterface {
  name = 'BookingHorizon1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE clinic ADD COLUMN max_booking_horizon_days smallint NOT NULL DEFAULT 365
        CONSTRAINT clinic_max_booking_horizon_days_range CHECK (max_booking_horizon_days BETWEEN 1 AND 1095);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clinic DROP COLUMN IF EXISTS max_booking_horizon_days`);
  }
}

import { Foundation1763800000000 } from './1763800000000-Foundation';
import { OutboxClaim1763900000000 } from './1763900000000-OutboxClaim';
import { ClinicalRecords1764000000000 } from './1764000000000-ClinicalRecords';
import { Reminders1764100000000 } from './1764100000000-Reminders';
import { DeliveryClaim1764200000000 } from './1764200000000-DeliveryClaim';
import { OnePractitionerPerLogin1764300000000 } from './1764300000000-OnePractitionerPerLogin';
import { BookingHorizon1764600000000 } from './1764600000000-BookingHorizon';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [Foundation1763800000000, OutboxClaim1763900000000, ClinicalRecords1764000000000, Reminders1764100000000, DeliveryClaim1764200000000, OnePractitionerPerLogin1764300000000, BookingHorizon1764600000000];

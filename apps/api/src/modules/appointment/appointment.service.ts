import { type Appointment, type Clock, type Db, systemClock } from '@fascia/db';
import type { Tenant } from '../../context';
import { book, reschedule } from './operations/book';
import { bookSeries } from './operations/book-series';
import { calendar, getAppointment, type CalendarColumns } from './operations/calendar';
import { cancel, checkIn, complete, markNoShow } from './operations/change-status';
import { clientAppointments } from './operations/client-appointments';
import type { Page } from '../../common/pagination';
import { cancelByLink, confirmByLink, type LinkOutcome } from './operations/public-link';
import type { AppointmentChange, AppointmentDeps, Calendar, Series } from './operations/shared';

export { localOf } from './operations/bookable';
export type { AppointmentChange, Calendar, Series } from './operations/shared';

/**
 * Booking, series, status changes, the public reminder links and the calendar: a thin facade
 * over one file per operation in `operations/` (book, book-series, change-status, shift-series,
 * public-link, calendar). Double booking is prevented by PostgreSQL's exclusion constraints
 * alone (no check-then-insert): the loser of a race gets CONFLICT. Every write goes through
 * `appointmentChanged` in its transaction. The time comes from the injected clock.
 */
export class AppointmentService {
  private readonly deps: AppointmentDeps;

  constructor(db: Db, clock: Clock = systemClock) {
    this.deps = { db, clock };
  }

  get(tenant: Tenant, id: string): Promise<Appointment | null> {
    return getAppointment(this.deps, tenant, id);
  }

  book(tenant: Tenant, input: unknown): Promise<Appointment> {
    return book(this.deps, tenant, input);
  }

  /** Books a plan's remaining sessions as one series: every session or none. */
  bookSeries(tenant: Tenant, input: unknown): Promise<Series> {
    return bookSeries(this.deps, tenant, input);
  }

  reschedule(tenant: Tenant, id: string, input: unknown): Promise<Appointment> {
    return reschedule(this.deps, tenant, id, input);
  }

  cancel(tenant: Tenant, id: string, reason: unknown, cancelledBy: unknown = 'CLIENT'): Promise<AppointmentChange> {
    return cancel(this.deps, tenant, id, reason, cancelledBy);
  }

  /** Public (no sign-in): a reminder's confirm link. */
  confirmByLink(token: unknown, secret: string): Promise<LinkOutcome> {
    return confirmByLink(this.deps, token, secret);
  }

  /** Public (no sign-in): a reminder's cancel link. */
  cancelByLink(token: unknown, secret: string): Promise<LinkOutcome & { change: AppointmentChange }> {
    return cancelByLink(this.deps, token, secret);
  }

  markNoShow(tenant: Tenant, id: string): Promise<AppointmentChange> {
    return markNoShow(this.deps, tenant, id);
  }

  checkIn(tenant: Tenant, id: string): Promise<Appointment> {
    return checkIn(this.deps, tenant, id);
  }

  complete(tenant: Tenant, id: string): Promise<Appointment> {
    return complete(this.deps, tenant, id);
  }

  /** A client's UPCOMING or PAST appointments, a page at a time (not clinical). */
  forClient(tenant: Tenant, args: { clientId: unknown; when?: unknown; first?: number | null; after?: string | null }): Promise<Page<Appointment>> {
    return clientAppointments(this.deps, tenant, args);
  }

  /** `columns`: only those (from the GraphQL selection); every column by default. */
  calendar(tenant: Tenant, args: unknown, columns?: CalendarColumns): Promise<Calendar> {
    return calendar(this.deps, tenant, args, columns);
  }
}

import { useMutation, useQuery } from '@apollo/client/react';
import { useCallback, useMemo, useState } from 'react';
import type { HTMLAttributes } from 'react';
import { Calendar as BigCalendar } from 'react-big-calendar';
import type { EventProps, SlotInfo } from 'react-big-calendar';
import dragAndDrop from 'react-big-calendar/lib/addons/dragAndDrop';
import type { EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import { useSearchParams } from 'react-router';
import { EmptyState, Loading, QueryError } from '../../components/status';
import type { CalendarAppointmentFragment } from '../../gql/graphql';
import { useClinic } from '../../lib/clinic-context';
import { NO_ERRORS, readErrors } from '../../lib/errors';
import type { FormErrors } from '../../lib/errors';
import { AppointmentPanel, StatusBadge } from './AppointmentPanel';
import { BookingForm, type BookingDraft, type Option } from './BookingForm';
import { CALENDAR_CLINIC, CLINIC_CALENDAR, RESCHEDULE_APPOINTMENT } from './documents';
import { clinicLocalizer } from './localizer';
import { addDays, dateAt, mondayOf, STATUS, statusLabel, timeOf, todayIn, wallOf } from './zone';
import './calendar.css';
import { formatDate, formatDay } from '../../lib/format';
import { TableScroll } from '../../components/TableScroll';

type Appointment = CalendarAppointmentFragment;

interface CalEvent {
  id: string;
  title: string;
  start: Date;
  end: Date;
  resourceId: string;
  appointment: Appointment;
}

interface CalResource {
  id: string;
  title: string;
}

const NO_ROOM = 'no-room';
/**
 * The addon ships only as CommonJS (`lib/`, Babel's `exports.default` with `__esModule`); the
 * package's ESM build leaves it out. Vite 8 (Rolldown) hands such a module's default import
 * over as its whole `exports` object, so the function is one `.default` further in; webpack
 * and Jest unwrap it already. Either way, this is the function.
 */
const withDragAndDrop: typeof dragAndDrop =
  typeof dragAndDrop === 'function' ? dragAndDrop : (dragAndDrop as unknown as { default: typeof dragAndDrop }).default;
/**
 * The calendar with react-big-calendar's drag-and-drop addon: a booked appointment can be
 * dragged to another time (or column) or resized, which reschedules it through the same
 * mutation as the Reschedule form (keyboard users keep the form).
 */
const DnDCalendar = withDragAndDrop<CalEvent, CalResource>(BigCalendar);
/** Only a booked appointment moves (the API's rule: one checked in or finished keeps its time). */
const movable = (e: CalEvent) => e.appointment.status === 'BOOKED';
/** The statuses that hold their time on the grid; the others are listed under it. */
const HOLDING = new Set<Appointment['status']>(['BOOKED', 'CHECKED_IN', 'COMPLETED']);

type View = 'day' | 'week';
type By = 'practitioner' | 'room';

type Panel = { kind: 'book'; draft: BookingDraft } | { kind: 'appointment'; appointment: Appointment; notice: string | null; error: FormErrors } | null;

/** The earliest opening and latest closing of the week, whole hours (07:00–20:00 when the clinic has no hours). */
function dayBounds(hours: { start: string; end: string }[], appointments: Appointment[]): { min: string; max: string } {
  const starts = [...hours.map((h) => h.start), ...appointments.map((a) => timeOf(a.localStart))];
  const ends = [...hours.map((h) => h.end), ...appointments.map((a) => timeOf(a.localEnd))];
  const minH = starts.length ? Math.min(...starts.map((t) => Number(t.slice(0, 2)))) : 7;
  const maxH = ends.length ? Math.max(...ends.map((t) => Number(t.slice(0, 2)) + (t.slice(3) === '00' ? 0 : 1))) : 20;
  const pad = (n: number) => String(Math.max(0, Math.min(23, n))).padStart(2, '0');
  return { min: `${pad(minH)}:00`, max: maxH >= 24 ? '23:59' : `${pad(maxH)}:00` };
}

function EventBody({ event }: EventProps<CalEvent>) {
  const a = event.appointment;
  const s = STATUS[a.status];
  return (
    <span className="cal-event__body">
      <span className="cal-event__status">
        <span aria-hidden="true">{s.glyph}</span> {statusLabel(a.status, a.clientConfirmedAt)}
      </span>
      <strong className="cal-event__client">{a.clientName}</strong>
      <span className="cal-event__meta">
        {timeOf(a.localStart)}–{timeOf(a.localEnd)} · {a.practitioner.displayName}
        {a.room ? ` · ${a.room.name}` : ''}
      </span>
    </span>
  );
}

function DayHeader({ label }: { label: string }) {
  return <span>{label}</span>;
}

/**
 * The clinic's calendar: a day (columns by practitioner or by room) or a week (all, or one
 * practitioner or room), drawn in the clinic's time zone whatever the browser's. Pick a slot
 * (or "Book appointment") to book; pick an appointment to check in, move, cancel or mark a
 * no-show; move one with its Reschedule form. Everything the server refuses is shown in
 * the panel beside the calendar with the server's message.
 */
export function CalendarPage() {
  const { clinicId, clinics, loading } = useClinic();
  const id = clinicId ?? clinics[0]?.id ?? null;
  if (!id) {
    if (loading) return <Loading label="Loading clinics…" />;
    return (
      <>
        <h1>Calendar</h1>
        <EmptyState title="No clinic yet">A calendar belongs to a clinic. Once a clinic is set up, its appointments show here.</EmptyState>
      </>
    );
  }
  return <ClinicCalendar key={id} clinicId={id} />;
}

function ClinicCalendar({ clinicId }: { clinicId: string }) {
  const [params, setParams] = useSearchParams();
  const clinicQ = useQuery(CALENDAR_CLINIC, { variables: { id: clinicId } });
  const clinic = clinicQ.data?.clinic ?? null;
  const zone = clinic?.timeZone ?? null;
  // The calendar reads every date in the clinic's zone through its own localizer (luxon's global default zone is left alone).
  const localizer = useMemo(() => (zone ? clinicLocalizer(zone) : null), [zone]);

  const view: View = params.get('view') === 'week' ? 'week' : 'day';
  const by: By = params.get('by') === 'room' ? 'room' : 'practitioner';
  const date = params.get('date') ?? (zone ? todayIn(zone) : '');
  const filterPractitioner = view === 'week' ? params.get('practitioner') : null;
  const filterRoom = view === 'week' ? params.get('room') : null;
  const from = view === 'week' ? mondayOf(date) : date;

  const update = useCallback(
    (changes: Record<string, string | null>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const calQ = useQuery(CLINIC_CALENDAR, {
    variables: { clinicId, from, days: view === 'week' ? 7 : 1, practitionerId: filterPractitioner, roomId: filterRoom },
    skip: !zone || !from,
    fetchPolicy: 'cache-and-network',
  });
  // The grid shows what holds time; the list under it also what freed it (a late cancellation says so).
  const listed = useMemo(
    () => (calQ.data?.calendar.appointments ?? []).filter((a) => !(a.status === 'CANCELLED' && a.statusReason?.startsWith('Rescheduled'))),
    [calQ.data],
  );
  const appointments = useMemo(() => listed.filter((a) => HOLDING.has(a.status)), [listed]);
  const [panel, setPanel] = useState<Panel>(null);

  const practitioners: Option[] = useMemo(() => {
    const list = clinicQ.data?.practitioners.edges.map((e) => ({ id: e.node.id, name: e.node.displayName })) ?? [];
    // Someone booked here without hours here any more still gets a column.
    for (const a of appointments) if (!list.some((p) => p.id === a.practitionerId)) list.push({ id: a.practitionerId, name: a.practitioner.displayName });
    return list;
  }, [clinicQ.data, appointments]);
  const rooms: Option[] = useMemo(() => clinic?.rooms.map((r) => ({ id: r.id, name: r.name })) ?? [], [clinic]);

  const resources: CalResource[] | undefined = useMemo(() => {
    if (view !== 'day') return undefined;
    if (by === 'practitioner') return practitioners.map((p) => ({ id: p.id, title: p.name }));
    const list = rooms.map((r) => ({ id: r.id, title: r.name }));
    if (appointments.some((a) => !a.roomId) || list.length === 0) list.push({ id: NO_ROOM, title: 'No room' });
    return list;
  }, [view, by, practitioners, rooms, appointments]);

  // A dragged appointment is drawn where it was dropped while the server decides; refused, it snaps back.
  const [moving, setMoving] = useState<{ id: string; start: Date; end: Date; resourceId: string } | null>(null);
  const events: CalEvent[] = useMemo(
    () =>
      appointments.map((a) => {
        const event = {
          id: a.id,
          title: `${a.clientName}, ${STATUS[a.status].label}`,
          start: new Date(a.startsAt),
          end: new Date(a.endsAt),
          resourceId: by === 'room' ? (a.roomId ?? NO_ROOM) : a.practitionerId,
          appointment: a,
        };
        return moving?.id === a.id ? { ...event, start: moving.start, end: moving.end, resourceId: moving.resourceId } : event;
      }),
    [appointments, by, moving],
  );
  const [reschedule] = useMutation(RESCHEDULE_APPOINTMENT, { refetchQueries: [CLINIC_CALENDAR], awaitRefetchQueries: true });

  const selectedId = panel?.kind === 'appointment' ? panel.appointment.id : null;
  const eventPropGetter = useCallback(
    (e: CalEvent) => ({ className: `cal-event cal-event--${STATUS[e.appointment.status].tone}${e.id === selectedId ? ' cal-event--selected' : ''}` }),
    [selectedId],
  );
  // Each slot says its wall time and column (the browser test and assistive tech read them).
  const slotPropGetter = useCallback(
    (slotDate: Date, resourceId?: number | string) => {
      if (!zone) return {};
      const w = wallOf(slotDate, zone);
      const props: HTMLAttributes<HTMLDivElement> & Record<string, string> = { 'data-slot': `${w.date}T${w.time}` };
      if (resourceId !== undefined) props['data-resource'] = String(resourceId);
      return props;
    },
    [zone],
  );

  if (clinicQ.error) return <QueryError error={clinicQ.error} retry={() => void clinicQ.refetch()} />;
  if (!clinic || !zone || !localizer) return <Loading label="Loading the calendar…" />;

  const bounds = dayBounds(clinic.openingHours, appointments);
  const openBooking = (draft: Partial<BookingDraft> = {}) =>
    setPanel({ kind: 'book', draft: { date: draft.date ?? date, time: draft.time ?? bounds.min, durationMinutes: draft.durationMinutes ?? 60, practitionerId: draft.practitionerId ?? filterPractitioner, roomId: draft.roomId ?? filterRoom } });

  const onSelectSlot = (slot: SlotInfo) => {
    const start = wallOf(slot.start, zone);
    const minutes = Math.round((slot.end.getTime() - slot.start.getTime()) / 60000);
    const column = slot.resourceId !== undefined ? String(slot.resourceId) : null;
    openBooking({
      date: start.date,
      time: start.time,
      durationMinutes: slot.action === 'select' && minutes >= 15 ? minutes : 60,
      practitionerId: by === 'practitioner' ? column : filterPractitioner,
      roomId: by === 'room' && column !== NO_ROOM ? column : filterRoom,
    });
  };

  /** A drop or a resize: the same reschedule as the form; the server's refusal shows in the panel beside the calendar. */
  const onMove = async ({ event, start, end, resourceId }: EventInteractionArgs<CalEvent>) => {
    const a = event.appointment;
    if (!movable(event) || moving) return;
    const startAt = new Date(start);
    const endAt = new Date(end);
    const minutes = Math.round((endAt.getTime() - startAt.getTime()) / 60000);
    const column = view === 'day' && resourceId !== undefined && resourceId !== null ? String(resourceId) : event.resourceId;
    const wall = wallOf(startAt, zone);
    if (wall.date === a.localStart.slice(0, 10) && wall.time === timeOf(a.localStart) && minutes === a.durationMinutes && column === event.resourceId) return;
    setMoving({ id: a.id, start: startAt, end: endAt, resourceId: column });
    try {
      const r = await reschedule({
        variables: {
          id: a.id,
          input: {
            startsAt: `${wall.date}T${wall.time}`,
            durationMinutes: minutes,
            practitionerId: view === 'day' && by === 'practitioner' ? column : a.practitionerId,
            roomId: view === 'day' && by === 'room' ? (column === NO_ROOM ? null : column) : (a.roomId ?? null),
            reason: null,
          },
        },
      });
      const moved = r.data?.rescheduleAppointment;
      if (moved) setPanel({ kind: 'appointment', appointment: moved, notice: `Moved to ${formatDate(moved.localStart.slice(0, 10))} at ${timeOf(moved.localStart)}.`, error: NO_ERRORS });
    } catch (err) {
      const e = readErrors(err, []);
      setPanel({ kind: 'appointment', appointment: a, notice: null, error: { ...e, form: `${a.clientName} stays at ${timeOf(a.localStart)}: it cannot move to ${wall.time}${wall.date !== date ? ` on ${formatDay(wall.date)}` : ''}. ${e.form ?? ''}`.trim() } });
    } finally {
      setMoving(null);
    }
  };

  const step = (n: number) => update({ date: addDays(date, view === 'week' ? 7 * n : n) });
  const title = view === 'week' ? `Week of ${formatDate(from)}` : formatDate(date);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Calendar</h1>
          <p className="page-description">
            {clinic.name} · {title} · times in {zone}
          </p>
        </div>
        <div className="page-actions">
          <button type="button" className="button button--primary" onClick={() => openBooking()}>
            Book appointment
          </button>
        </div>
      </div>

      <div className="cal-toolbar" role="toolbar" aria-label="Calendar view">
        <div className="cal-toolbar__group">
          <button type="button" className="button" onClick={() => step(-1)}>
            ‹ Previous {view}
          </button>
          <button type="button" className="button" onClick={() => update({ date: todayIn(zone) })}>
            Today
          </button>
          <button type="button" className="button" onClick={() => step(1)}>
            Next {view} ›
          </button>
          <label className="cal-toolbar__field">
            <span>Go to</span>
            <input type="date" value={date} onChange={(e) => e.target.value && update({ date: e.target.value })} />
          </label>
        </div>
        <div className="cal-toolbar__group" role="group" aria-label="Show">
          <button type="button" className="button" aria-pressed={view === 'day'} onClick={() => update({ view: null })}>
            Day
          </button>
          <button type="button" className="button" aria-pressed={view === 'week'} onClick={() => update({ view: 'week' })}>
            Week
          </button>
        </div>
        {view === 'day' ? (
          <div className="cal-toolbar__group" role="group" aria-label="Columns">
            <button type="button" className="button" aria-pressed={by === 'practitioner'} onClick={() => update({ by: null })}>
              By practitioner
            </button>
            <button type="button" className="button" aria-pressed={by === 'room'} onClick={() => update({ by: 'room' })}>
              By room
            </button>
          </div>
        ) : (
          <div className="cal-toolbar__group">
            <label className="cal-toolbar__field">
              <span>Practitioner</span>
              <select value={filterPractitioner ?? ''} onChange={(e) => update({ practitioner: e.target.value || null })}>
                <option value="">Everyone</option>
                {practitioners.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="cal-toolbar__field">
              <span>Room</span>
              <select value={filterRoom ?? ''} onChange={(e) => update({ room: e.target.value || null })}>
                <option value="">Every room</option>
                {rooms.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
      </div>

      <ul className="cal-legend" aria-label="Status key">
        {(['BOOKED', 'CHECKED_IN', 'COMPLETED'] as const).map((s) => (
          <li key={s}>
            <StatusBadge status={s} />
          </li>
        ))}
      </ul>

      {calQ.error ? <QueryError error={calQ.error} retry={() => void calQ.refetch()} /> : null}
      {calQ.data && !calQ.loading && appointments.length === 0 ? (
        // An empty day (or week) says so above the grid, where the eye lands, not only in the list below the fold.
        <div className="cal-empty" data-testid="calendar-empty">
          <p>
            <strong>Nothing booked {view === 'week' ? `in the week of ${formatDay(from)}` : `on ${formatDate(date)}`}.</strong>{' '}
            {listed.length > 0 ? `${listed.length} cancelled or missed ${listed.length === 1 ? 'is' : 'are'} listed under the calendar. ` : ''}
            Pick a time on the calendar to book there.
          </p>
          <button type="button" className="button" onClick={() => openBooking()}>
            Book the first one
          </button>
        </div>
      ) : null}
      <div className={`cal-layout${panel ? ' cal-layout--with-panel' : ''}`}>
        <div className="cal-frame" aria-busy={calQ.loading || undefined}>
          {practitioners.length === 0 && view === 'day' && by === 'practitioner' ? (
            <EmptyState title="No practitioners at this clinic yet">Add a practitioner with hours here, then book from this calendar.</EmptyState>
          ) : (
            <DnDCalendar
              localizer={localizer}
              events={events}
              date={dateAt(zone, view === 'week' ? from : date)}
              view={view}
              views={['day', 'week']}
              onView={() => undefined}
              onNavigate={(d) => update({ date: wallOf(d, zone).date })}
              toolbar={false}
              resources={resources}
              resourceIdAccessor={(r) => r.id}
              resourceTitleAccessor={(r) => r.title}
              min={dateAt(zone, from, bounds.min)}
              max={dateAt(zone, from, bounds.max)}
              scrollToTime={dateAt(zone, from, bounds.min)}
              step={15}
              timeslots={4}
              selectable
              onSelectSlot={onSelectSlot}
              draggableAccessor={movable}
              resizableAccessor={movable}
              onEventDrop={(args) => void onMove(args)}
              onEventResize={(args) => void onMove(args)}
              onSelectEvent={(e) => setPanel({ kind: 'appointment', appointment: e.appointment, notice: null, error: NO_ERRORS })}
              eventPropGetter={eventPropGetter}
              slotPropGetter={slotPropGetter}
              // The stock header is a role=columnheader outside any grid (axe: aria-required-parent).
              components={{ event: EventBody, header: DayHeader }}
              onDrillDown={(d) => update({ date: wallOf(d, zone).date, view: null })}
              formats={{
                timeGutterFormat: 'HH:mm',
                dayFormat: 'ccc d LLL',
                dayHeaderFormat: 'ccc d LLL yyyy',
                eventTimeRangeFormat: () => '',
                selectRangeFormat: ({ start, end }) => `${wallOf(start, zone).time}–${wallOf(end, zone).time}`,
              }}
              dayLayoutAlgorithm="no-overlap"
              style={{ height: 720 }}
            />
          )}
        </div>
        {panel?.kind === 'book' ? (
          <BookingForm
            clinicId={clinicId}
            zone={zone}
            draft={panel.draft}
            practitioners={practitioners}
            rooms={rooms}
            onBooked={(a, msg) => {
              // The calendar follows the booking to its day.
              if (a.localStart.slice(0, 10) !== date) update({ date: a.localStart.slice(0, 10) });
              setPanel({ kind: 'appointment', appointment: a, notice: msg, error: NO_ERRORS });
            }}
            onClose={() => setPanel(null)}
          />
        ) : null}
        {panel?.kind === 'appointment' ? (
          <AppointmentPanel
            key={panel.appointment.id}
            a={panel.appointment}
            zone={zone}
            lateCancelHours={clinic.lateCancelHours}
            practitioners={practitioners}
            rooms={rooms}
            notice={panel.notice}
            error={panel.error}
            onChanged={(a, msg) => setPanel({ kind: 'appointment', appointment: a, notice: msg, error: NO_ERRORS })}
            onClose={() => setPanel(null)}
          />
        ) : null}
      </div>

      <section className="card cal-list" aria-labelledby="cal-list-title">
        <h2 id="cal-list-title">
          Appointments {view === 'week' ? 'this week' : 'this day'} <span className="count">{appointments.length}</span>
          {listed.length > appointments.length ? <span className="muted small"> and {listed.length - appointments.length} cancelled or missed</span> : null}
        </h2>
        {calQ.loading && !calQ.data ? <Loading label="Loading appointments…" /> : null}
        {calQ.data && listed.length === 0 ? <p className="muted">Nothing booked. Pick a time on the calendar, or “Book appointment”.</p> : null}
        {listed.length > 0 ? (
          <TableScroll label="Appointments by start">
            <table className="table table--compact">
              <caption className="visually-hidden">Appointments by start, with those cancelled or missed</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Client</th>
                  <th scope="col">Practitioner</th>
                  <th scope="col">Room</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {listed.map((a) => (
                  <tr key={a.id} className={HOLDING.has(a.status) ? undefined : 'cal-list__freed'}>
                    <td>
                      {view === 'week' ? `${formatDay(a.localStart.slice(0, 10))} ` : ''}
                      {timeOf(a.localStart)}–{timeOf(a.localEnd)}
                    </td>
                    <th scope="row">{a.clientName}</th>
                    <td>{a.practitioner.displayName}</td>
                    <td>{a.room?.name ?? '—'}</td>
                    <td>
                      <StatusBadge status={a.status} clientConfirmedAt={a.clientConfirmedAt} />
                    </td>
                    <td>
                      <button type="button" className="button button--quiet" onClick={() => setPanel({ kind: 'appointment', appointment: a, notice: null, error: NO_ERRORS })}>
                        Open<span className="visually-hidden"> {a.clientName} at {timeOf(a.localStart)}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : null}
      </section>
    </>
  );
}

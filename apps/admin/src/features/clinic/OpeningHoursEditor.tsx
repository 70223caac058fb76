import { WEEKDAYS } from '../../lib/format';

export interface DayHours {
  open: boolean;
  start: string;
  end: string;
}

export type WeekHours = Record<number, DayHours>;

export function defaultWeekHours(): WeekHours {
  const week: WeekHours = {};
  for (const d of WEEKDAYS) {
    if (d.value <= 5) week[d.value] = { open: true, start: '09:00', end: '18:00' };
    else if (d.value === 6) week[d.value] = { open: true, start: '10:00', end: '14:00' };
    else week[d.value] = { open: false, start: '10:00', end: '14:00' };
  }
  return week;
}

export function weekHoursToWindows(week: WeekHours): { weekday: number; start: string; end: string }[] {
  return WEEKDAYS.filter((d) => week[d.value]?.open).map((d) => ({ weekday: d.value, start: week[d.value].start, end: week[d.value].end }));
}

/** Per-day problems the browser can see before the server does. */
export function validateWeekHours(week: WeekHours): Record<number, string> {
  const out: Record<number, string> = {};
  for (const d of WEEKDAYS) {
    const h = week[d.value];
    if (!h?.open) continue;
    if (!h.start || !h.end) out[d.value] = `Enter both times for ${d.label}.`;
    else if (h.end <= h.start) out[d.value] = `${d.label}: closing time must be after opening time.`;
  }
  return out;
}

export function OpeningHoursEditor({
  value,
  onChange,
  dayErrors,
  error,
}: {
  value: WeekHours;
  onChange(next: WeekHours): void;
  dayErrors: Record<number, string>;
  error?: string;
}) {
  const set = (weekday: number, patch: Partial<DayHours>) => onChange({ ...value, [weekday]: { ...value[weekday], ...patch } });
  return (
    <fieldset className={`hours${error ? ' field--invalid' : ''}`} aria-describedby={error ? 'opening-hours-error' : undefined}>
      <legend>Opening hours</legend>
      <p className="hint">Local time at the clinic. Untick a day when the clinic is closed.</p>
      <div className="hours-grid" role="group">
        {WEEKDAYS.map((d) => {
          const h = value[d.value];
          const dayError = dayErrors[d.value];
          const errId = `hours-${d.value}-error`;
          return (
            <div className={`hours-row${h.open ? '' : ' hours-row--closed'}`} key={d.value}>
              <label className="check hours-day">
                <input type="checkbox" checked={h.open} onChange={(e) => set(d.value, { open: e.target.checked })} />
                {d.label}
              </label>
              {h.open ? (
                <>
                  <label className="hours-time">
                    <span className="visually-hidden">{d.label} opens at</span>
                    <input
                      type="time"
                      value={h.start}
                      onChange={(e) => set(d.value, { start: e.target.value })}
                      aria-invalid={dayError ? true : undefined}
                      aria-describedby={dayError ? errId : undefined}
                    />
                  </label>
                  <span aria-hidden="true">to</span>
                  <label className="hours-time">
                    <span className="visually-hidden">{d.label} closes at</span>
                    <input
                      type="time"
                      value={h.end}
                      onChange={(e) => set(d.value, { end: e.target.value })}
                      aria-invalid={dayError ? true : undefined}
                      aria-describedby={dayError ? errId : undefined}
                    />
                  </label>
                </>
              ) : (
                <span className="muted">Closed</span>
              )}
              {dayError ? (
                <p className="field-error hours-error" id={errId}>
                  {dayError}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
      {error ? (
        <p className="field-error" id="opening-hours-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

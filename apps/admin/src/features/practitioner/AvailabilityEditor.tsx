import { z } from 'zod';
import { useFieldId } from '../../components/forms';
import type { ClinicOption } from '../../lib/clinic-context';
import { WEEKDAYS } from '../../lib/format';

/** One weekly window in the editor; `key` is only React's. */
export interface SlotRow {
  key: number;
  clinicId: string;
  weekday: number;
  start: string;
  end: string;
}

let nextKey = 1;

/** A fresh React key for a slot row. */
export const slotKey = (): number => nextKey++;

export function defaultSlots(clinicId: string): SlotRow[] {
  return [1, 2, 3, 4, 5].map((weekday) => ({ key: nextKey++, clinicId, weekday, start: '09:00', end: '17:00' }));
}

export function AvailabilityEditor({
  rows,
  onChange,
  clinics,
  errors,
  emptyText = 'No hours yet: the practitioner can’t be booked until some are added.',
}: {
  rows: SlotRow[];
  onChange(rows: SlotRow[]): void;
  clinics: ClinicOption[];
  errors: Record<string, string>;
  emptyText?: string;
}) {
  const update = (key: number, patch: Partial<SlotRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const groupError = errors.availability;
  const baseId = useFieldId('availability');
  const groupErrorId = `${baseId}-error`;
  return (
    <fieldset className="availability" aria-describedby={groupError ? groupErrorId : undefined}>
      <legend>Weekly availability</legend>
      <p className="hint">When this practitioner can be booked, in each clinic&apos;s local time.</p>
      {rows.length === 0 ? <p className="muted">{emptyText}</p> : null}
      <ol className="slots">
        {rows.map((r, i) => {
          const rowError =
            errors[`availability.${i}`] ??
            errors[`availability.${i}.start`] ??
            errors[`availability.${i}.end`] ??
            errors[`availability.${i}.weekday`] ??
            errors[`availability.${i}.clinicId`];
          const label = `Slot ${i + 1}`;
          // Every input of the row is marked and points at the row's message.
          const rowErrorId = `${baseId}-${r.key}-error`;
          const invalid = rowError
            ? ({ 'aria-invalid': true, 'aria-describedby': rowErrorId } as const)
            : {};
          return (
            <li key={r.key} className="slot">
              <label>
                <span className="visually-hidden">{label}: clinic</span>
                <select value={r.clinicId} onChange={(e) => update(r.key, { clinicId: e.target.value })} {...invalid}>
                  {clinics.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">{label}: day</span>
                <select value={r.weekday} onChange={(e) => update(r.key, { weekday: Number(e.target.value) })} {...invalid}>
                  {WEEKDAYS.map((d) => (
                    <option key={d.value} value={d.value}>
                      {d.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span className="visually-hidden">{label}: from</span>
                <input type="time" value={r.start} onChange={(e) => update(r.key, { start: e.target.value })} {...invalid} />
              </label>
              <span aria-hidden="true">to</span>
              <label>
                <span className="visually-hidden">{label}: until</span>
                <input type="time" value={r.end} onChange={(e) => update(r.key, { end: e.target.value })} {...invalid} />
              </label>
              <button type="button" className="button button--quiet" onClick={() => onChange(rows.filter((x) => x.key !== r.key))}>
                Remove<span className="visually-hidden"> {label.toLowerCase()}</span>
              </button>
              {rowError ? (
                <p className="field-error slot-error" id={rowErrorId}>
                  {rowError}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button"
        onClick={() => {
          const last = rows[rows.length - 1];
          onChange([
            ...rows,
            { key: nextKey++, clinicId: last?.clinicId ?? clinics[0]?.id ?? '', weekday: last ? (last.weekday % 7) + 1 : 1, start: last?.start ?? '09:00', end: last?.end ?? '17:00' },
          ]);
        }}
      >
        Add hours
      </button>
      {groupError ? (
        <p className="field-error" id={groupErrorId}>
          {groupError}
        </p>
      ) : null}
    </fieldset>
  );
}


/** The rows as the forms validate them: each window ends after it starts (the server checks the rest). */
export const slotsSchema = z.array(
  z
    .object({ key: z.number(), clinicId: z.string(), weekday: z.number(), start: z.string(), end: z.string() })
    .refine((s) => s.start && s.end && s.end > s.start, { message: 'The end time must be after the start time.' }),
);

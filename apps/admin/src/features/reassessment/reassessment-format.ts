import { formatDateTime } from '../../lib/format';

/** Plain words for the planning package's codes, shown to clinic staff. */
export const DECISION: Record<string, string> = {
  STEP_DOWN: 'Step down: fewer visits',
  CONTINUE: 'Continue as planned',
  CHANGE_APPROACH: 'Change the approach',
  REFER: 'Refer the client',
  MOVE_TO_MAINTENANCE: 'Move to maintenance visits',
  STOP_AND_REFER: 'Stop treatment and refer',
};

export const OVERALL: Record<string, string> = {
  'all-met': 'Every benchmark is met',
  improving: 'Improving',
  stalled: 'Progress has stalled',
  worse: 'Worse than at the start',
};

export const RESULT_STATUS: Record<string, string> = {
  met: 'Met',
  improving: 'Improving',
  unchanged: 'Unchanged',
  worse: 'Worse',
  'not-measured': 'Not measured',
};

export const MEASURE: Record<string, string> = {
  'pain-nrs': 'Pain (0–10)',
  psfs: 'Function (PSFS, 0–10)',
  odi: 'Back disability (ODI, %)',
  ndi: 'Neck disability (NDI, 0–50)',
};

/**
 * A wall time `YYYY-MM-DDTHH:mm` as people read it ("Mon 7 Dec, 09:00"; lib/format's
 * formatDateTime). It is already the clinic's local time: written as is, never converted.
 */
export function formatWall(local: string): string {
  return formatDateTime(local);
}

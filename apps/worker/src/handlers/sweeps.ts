import { type Channel, type Clock, type Db, ReminderPolicyRecord } from '@fascia/db';
import { type PlanBodyView, type PlanView, channelsFor, homeCareForDay, maintenanceDue, planReviewAlerts, policyFromRow, reassessmentDue, sendTimeFor } from '@fascia/follow-up';
import { type JobQueue, type JobRetryPolicy, type QueueKey, type SweepName, SWEEPS, retryOptions } from '@fascia/jobs';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { returnedRows } from '../relay';
import { scheduleReminder } from './reminders';
import type { Handler } from './types';

export interface SweepDeps {
  db: Db;
  clock: Clock;
  queues: Readonly<Record<QueueKey, JobQueue>>;
  retryOverride?: Partial<JobRetryPolicy>;
}

/** Stable scheduler keys: upserting them again at every start replaces, never duplicates. */
export const sweepSchedulerKey = (sweep: SweepName): string => `sweep:${sweep}`;
/**
 * One per clinic per clinic-local day: a repeated fan-out adds nothing. Dot-separated:
 * BullMQ 6.7 reads a custom jobId with ':' as its own repeat-job format (exactly 3 parts
 * tolerated, and marked for removal).
 */
export const sweepJobId = (sweep: SweepName, clinicId: string, period: string): string => `${sweep}.${clinicId}.${period}`;

/** Hourly (UTC), so every clinic's local day starts within the hour; the per-clinic job id keeps it to one run a day. */
export const DEFAULT_SWEEP_PATTERNS: Record<SweepName, string> = {
  'reassessments-due': '5 * * * *',
  'maintenance-due': '10 * * * *',
  'home-care': '15 * * * *',
  'plan-review': '20 * * * *',
};

/** Home-care nudges go out at this clinic-local time on the day (then quiet hours apply). */
export const HOME_CARE_LOCAL_HOUR = 10;

/** Registers (or updates) the four sweeps' job schedulers on the scheduling queue. */
export async function registerSweepSchedulers(queue: JobQueue, patterns: Partial<Record<SweepName, string>> = {}, retryOverride?: Partial<JobRetryPolicy>): Promise<string[]> {
  const keys: string[] = [];
  for (const sweep of SWEEPS) {
    // BullMQ types the scheduler id with the queue's job-name type; ours are free strings.
    await queue.upsertJobScheduler(
      sweepSchedulerKey(sweep) as never,
      { pattern: patterns[sweep] ?? DEFAULT_SWEEP_PATTERNS[sweep], tz: 'UTC' },
      { name: 'sweep.fanout', data: { sweep }, opts: retryOptions('sweep.fanout', retryOverride) },
    );
    keys.push(sweepSchedulerKey(sweep));
  }
  return keys;
}

/** `sweep.fanout`: one `sweep.clinic` job per clinic, id `<sweep>:<clinicId>:<clinic-local date>`. */
export function sweepFanoutHandler(deps: SweepDeps): Handler<'sweep.fanout'> {
  return async (data) => {
    const now = deps.clock.now();
    const clinics = await deps.db.system(
      (em) => em.query(`SELECT id, organization_id, time_zone FROM clinic WHERE archived_at IS NULL ORDER BY id`) as Promise<{ id: string; organization_id: string; time_zone: string }[]>,
    );
    const jobs = clinics.map((c) => {
      const period = DateTime.fromJSDate(now, { zone: c.time_zone }).toISODate() ?? now.toISOString().slice(0, 10);
      return {
        name: 'sweep.clinic' as const,
        data: { organizationId: c.organization_id, clinicId: c.id, sweep: data.sweep, period },
        opts: { jobId: sweepJobId(data.sweep, c.id, period), ...retryOptions('sweep.clinic', deps.retryOverride) },
      };
    });
    for (let i = 0; i < jobs.length; i += 500) await deps.queues.scheduling.addBulk(jobs.slice(i, i + 500));
    return { outcome: 'fanned-out', clinics: jobs.length };
  };
}

interface PlanRow {
  id: string;
  organization_id: string;
  client_id: string;
  practitioner_id: string;
  status: PlanView['status'];
  body: PlanBodyView;
  changed_at: Date;
}

async function loadPlans(em: EntityManager, organizationId: string, clinicId: string): Promise<(PlanView & { row: PlanRow })[]> {
  const plans = (await em.query(
    // changed_at: when the plan last changed course (acceptance, a re-assessment's decision, a status),
    // not an edit of its details, so editing an overdue plan neither postpones nor repeats its re-assessment
    // (the API's nextReassessment anchors the same way).
    `SELECT tp.id, tp.organization_id, tp.client_id, tp.practitioner_id, tp.status, pv.body,
            (SELECT max(c.changed_at) FROM plan_version c WHERE c.organization_id = tp.organization_id AND c.plan_id = tp.id AND c.change_kind <> 'EDITED') AS changed_at
     FROM treatment_plan tp JOIN plan_version pv ON pv.organization_id = tp.organization_id AND pv.plan_id = tp.id AND pv.version = tp.current_version
     WHERE tp.organization_id = $1 AND tp.clinic_id = $2 AND tp.status IN ('ACTIVE', 'MAINTENANCE')`,
    [organizationId, clinicId],
  )) as PlanRow[];
  if (plans.length === 0) return [];
  const appts = (await em.query(`SELECT id, plan_id, starts_at, status, kind, phase_index FROM appointment WHERE organization_id = $1 AND plan_id = ANY($2::uuid[])`, [organizationId, plans.map((p) => p.id)])) as {
    id: string;
    plan_id: string;
    starts_at: Date;
    status: PlanView['appointments'][number]['status'];
    kind: PlanView['appointments'][number]['kind'];
    phase_index: number | null;
  }[];
  return plans.map((p) => ({
    row: p,
    planId: p.id,
    status: p.status,
    body: p.body,
    versionChangedAt: new Date(p.changed_at),
    appointments: appts
      .filter((a) => a.plan_id === p.id)
      .map((a) => ({ id: a.id, startsAt: new Date(a.starts_at), status: a.status, kind: a.kind, phaseIndex: a.phase_index })),
  }));
}

async function createTask(
  em: EntityManager,
  t: { organizationId: string; clinicId: string; kind: 'REASSESSMENT_DUE' | 'PLAN_REVIEW'; reason: string; practitionerId: string; clientId: string; planId: string; dueAt: Date; dedupeKey: string },
): Promise<boolean> {
  const rows = returnedRows<{ id: string }>(
    await em.query(
      `INSERT INTO practitioner_task (organization_id, clinic_id, kind, reason, practitioner_id, client_id, plan_id, due_at, dedupe_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (organization_id, dedupe_key) DO NOTHING RETURNING id`,
      [t.organizationId, t.clinicId, t.kind, t.reason, t.practitionerId, t.clientId, t.planId, t.dueAt, t.dedupeKey],
    ),
  );
  return rows.length > 0;
}

/**
 * `sweep.clinic`: one sweep over one clinic's live plans. Everything it writes has a
 * unique key (task dedupe key, reminder delivery key), so a sweep that runs again —
 * a retried job, an overlapping fan-out — writes nothing new.
 */
export function sweepClinicHandler(deps: SweepDeps): Handler<'sweep.clinic'> {
  return async (data, ctx) => {
    const now = deps.clock.now();
    const counts = await deps.db.system(async (em) => {
      // Every read names the job's organization (issue 16 §1): a clinic of another organization is not found.
      const org = data.organizationId;
      const [clinic] = (await em.query(`SELECT id, organization_id, time_zone FROM clinic WHERE organization_id = $1 AND id = $2`, [org, data.clinicId])) as {
        id: string;
        organization_id: string;
        time_zone: string;
      }[];
      if (!clinic) return { skipped: 'clinic-not-found' };
      const policy = policyFromRow(await em.findOneBy(ReminderPolicyRecord, { organizationId: org, clinicId: clinic.id }));
      const plans = await loadPlans(em, org, clinic.id);
      const clientIds = [...new Set(plans.map((p) => p.row.client_id))];
      const clients = new Map(
        ((clientIds.length ? await em.query(`SELECT id, preferred_channels FROM client WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [org, clientIds]) : []) as { id: string; preferred_channels: Channel[] }[]).map(
          (c) => [c.id, c.preferred_channels],
        ),
      );
      let tasks = 0;
      let reminders = 0;
      // `dueAt` is what the reminder is about (a maintenance visit's due date, printed in it);
      // `sendFrom`, when it goes out (then quiet hours), by default the due time.
      const remind = async (p: (typeof plans)[number], kind: 'REASSESSMENT_DUE' | 'MAINTENANCE_DUE' | 'MAINTENANCE_FOLLOW_UP' | 'HOME_CARE', key: string, dueAt: Date, sendFrom: Date = dueAt) => {
        for (const channel of channelsFor(policy, clients.get(p.row.client_id) ?? [])) {
          const id = await scheduleReminder(em, {
            organizationId: clinic.organization_id,
            clinicId: clinic.id,
            kind,
            appointmentId: null,
            planId: p.planId,
            clientId: p.row.client_id,
            channel,
            leadMinutes: null,
            dueAt,
            sendAt: sendTimeFor(sendFrom, null, policy.quietHours, clinic.time_zone),
            appointmentStartsAt: null,
            deliveryKey: `${key}:${channel}`,
          });
          if (id) reminders++;
        }
      };
      const task = async (p: (typeof plans)[number], kind: 'REASSESSMENT_DUE' | 'PLAN_REVIEW', reason: string, dedupeKey: string) => {
        const made = await createTask(em, {
          organizationId: clinic.organization_id,
          clinicId: clinic.id,
          kind,
          reason,
          practitionerId: p.row.practitioner_id,
          clientId: p.row.client_id,
          planId: p.planId,
          dueAt: now,
          dedupeKey,
        });
        if (made) tasks++;
      };

      if (data.sweep === 'reassessments-due') {
        const last = new Map(
          ((plans.length
            ? await em.query(
                `SELECT DISTINCT ON (plan_id) id, plan_id, assessed_at, sessions_completed FROM reassessment WHERE organization_id = $1 AND plan_id = ANY($2::uuid[]) AND status <> 'DISMISSED' ORDER BY plan_id, assessed_at DESC`,
                [org, plans.map((p) => p.planId)],
              )
            : []) as { id: string; plan_id: string; assessed_at: Date; sessions_completed: number }[]).map((r) => [
            r.plan_id,
            { id: r.id, assessedAt: new Date(r.assessed_at), sessionsCompleted: r.sessions_completed },
          ]),
        );
        // When it is due is the planning package's rule (through follow-up's reassessmentDue), as in the API.
        for (const p of plans) {
          const due = reassessmentDue(p, last.get(p.planId) ?? null, now);
          if (!due) continue;
          await task(p, 'REASSESSMENT_DUE', due.reason, due.dedupeKey);
          if (due.remindClient) await remind(p, 'REASSESSMENT_DUE', due.dedupeKey, now);
        }
      } else if (data.sweep === 'maintenance-due') {
        // Both are sent now (the reminder a week ahead of the due date, the follow-up two weeks after it); both name the due date.
        for (const p of plans) for (const m of maintenanceDue(p, now)) await remind(p, m.kind, m.dedupeKey, m.dueDate, now);
      } else if (data.sweep === 'home-care') {
        const day = DateTime.fromISO(data.period.slice(0, 10), { zone: clinic.time_zone });
        const at = day.set({ hour: HOME_CARE_LOCAL_HOUR }).toJSDate();
        for (const p of plans) {
          if (homeCareForDay(p, day.weekday).length === 0) continue;
          await remind(p, 'HOME_CARE', `home-care:${p.planId}:${data.period.slice(0, 10)}`, new Date(Math.max(now.getTime(), at.getTime())));
        }
      } else {
        for (const p of plans) for (const alert of planReviewAlerts(p, now)) await task(p, 'PLAN_REVIEW', alert.reason, alert.dedupeKey);
      }
      return { plans: plans.length, tasks, reminders };
    });
    ctx.log.info({ sweep: data.sweep, clinicId: data.clinicId, period: data.period, ...counts }, 'sweep done');
    return { outcome: 'swept', ...counts };
  };
}

import { Appointment, type Clinic, type Clock, type Db, isLivePlan, PlanVersion, type Practitioner, type PractitionerAvailability, ReassessmentRecord, Room, SessionNote, TreatmentPlanRecord } from '@fascia/db';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import type { Tenant } from './context';
import { AppointmentService } from './modules/appointment/appointment.service';
import { ClientService } from './modules/client/client.service';
import { IntakeService } from './modules/intake/intake.service';
import { ReassessmentService } from './modules/reassessment/reassessment.service';
import { TreatmentPlanService } from './modules/treatment-plan/treatment-plan.service';

/** A small deterministic generator, so every demo install shows the same chain. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Amara', 'Ben', 'Chloe', 'Diego', 'Elif', 'Farah', 'George', 'Hana', 'Isaac', 'Jonas', 'Keira', 'Luca', 'Mei', 'Nadia', 'Owen', 'Priya', 'Quinn', 'Rosa', 'Samir', 'Tess', 'Uma', 'Victor', 'Wren', 'Yusuf'];
const LAST = ['Adeyemi', 'Brennan', 'Castillo', 'Dubois', 'Eriksen', 'Fontaine', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quigley', 'Rossi', 'Singh', 'Tanaka', 'Urquhart', 'Varga', 'Walsh', 'Young'];

/** How a client's pain goes over the sessions: most improve, some stall, one gets worse. */
type Course = 'improving' | 'stalling' | 'worsening';

interface Complaint {
  region: string;
  side: string;
  cause: string;
  fn: Record<string, unknown>;
}
const COMPLAINTS: Complaint[] = [
  { region: 'lower-back', side: 'central', cause: 'posture', fn: { odi: 32, psfs: [{ activity: 'gardening', score: 4 }] } },
  { region: 'neck', side: 'central', cause: 'posture', fn: { ndi: 18, psfs: [{ activity: 'driving', score: 4 }] } },
  { region: 'shoulder', side: 'right', cause: 'overuse', fn: { psfs: [{ activity: 'reaching overhead', score: 3 }] } },
  { region: 'knee', side: 'left', cause: 'sport', fn: { psfs: [{ activity: 'climbing stairs', score: 4 }] } },
];

export interface ClinicalSeedInput {
  dataSource: DataSource;
  db: Db;
  tenant: Tenant;
  clinics: Clinic[];
  /** Massage therapists with their availability; each gets a caseload. */
  therapists: { practitioner: Practitioner; availability: PractitionerAvailability[] }[];
  now: Date;
}

/**
 * Gives the demo chain clients with intakes, accepted plans, months of past sessions with
 * signed notes and re-assessments (most clients improving, some stalling, one worsening),
 * one client whose screening blocked the plan, and upcoming appointments booked through
 * the API's service (so the worker schedules their reminders).
 */
export async function seedClinicalHistory(s: ClinicalSeedInput): Promise<{ clients: number; pastSessions: number; upcoming: number }> {
  const random = rng(20261122);
  // The services read the seed's moment, not the system's: a demo written around a fixed time
  // (a test's clock) books its upcoming visits after that time, not after today.
  const clock: Clock = { now: () => s.now };
  const clients = new ClientService(s.db, clock);
  const intakes = new IntakeService(s.db, clock);
  const plans = new TreatmentPlanService(s.db, clock);
  const reassessments = new ReassessmentService(s.db, clock);
  const appointments = new AppointmentService(s.db, clock);
  const rooms = await s.dataSource.getRepository(Room).find({ order: { name: 'ASC' } });
  let n = 0;
  let pastSessions = 0;
  let upcoming = 0;

  for (const [ti, { practitioner, availability }] of s.therapists.entries()) {
    const clinic = s.clinics.find((c) => c.id === availability[0].clinicId)!;
    // Therapists of one clinic work from different rooms.
    const clinicRooms = rooms.filter((r) => r.clinicId === clinic.id);
    const room = clinicRooms[ti % clinicRooms.length] ?? null;
    const windows = [...availability].filter((w) => w.clinicId === clinic.id).sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
    for (let j = 0; j < 6; j++, n++) {
      const course: Course = n === 5 ? 'worsening' : j % 3 === 2 ? 'stalling' : 'improving';
      const complaint = COMPLAINTS[n % COMPLAINTS.length];
      const window = windows[j % windows.length];
      const minute = window.startMinute + 60 * Math.floor(j / windows.length);
      const weeksAgo = 4 + ((n * 5) % 13);
      const start = DateTime.fromJSDate(s.now, { zone: clinic.timeZone }).minus({ weeks: weeksAgo }).startOf('week').plus({ days: window.weekday - 1, minutes: minute });
      const painStart = 5 + Math.floor(random() * 3);
      const client = await clients.create(s.tenant, {
        firstName: FIRST[n % FIRST.length],
        lastName: LAST[(n * 7) % LAST.length],
        email: `${FIRST[n % FIRST.length].toLowerCase()}.${LAST[(n * 7) % LAST.length].toLowerCase()}@example.org`,
        phone: `+44 7700 900${String(100 + n).padStart(3, '0')}`,
        preferredChannels: n % 4 === 3 ? ['SMS'] : ['EMAIL'],
        reminderConsent: n % 6 !== 4,
        paymentMethod: (['SELF_PAY', 'INSURANCE', 'FSA_HSA'] as const)[n % 3],
        clinicIds: [clinic.id],
      });
      const intakeAt = start.minus({ days: 1 }).toJSDate();
      const blockedCase = n === 7;
      const intake = await intakes.record(
        s.tenant,
        {
          clientId: client.id,
          clinicId: clinic.id,
          practitionerId: practitioner.id,
          intake: {
            age: 28 + ((n * 11) % 45),
            generalHealth: n % 5 === 0 ? 'fair' : 'good',
            complaints: [{ id: 'c1', region: complaint.region, side: complaint.side, onsetDate: start.minus({ months: 6 + (n % 18) }).toISODate(), cause: complaint.cause, painNow: painStart, painWorst: Math.min(10, painStart + 2) }],
            function: complaint.fn,
            pressureTolerance: (['moderate', 'firm', 'deep', 'light'] as const)[n % 4],
            lifestyle: { activity: 'moderate', workPosture: n % 2 ? 'desk' : 'mixed', stress: 3 + (n % 5), sleep: n % 3 ? 'good' : 'fair' },
            goals: ['pain-relief', 'mobility'],
            commitment: { sessionsPerWeek: 1 },
            selfCareWillingness: 'some',
            health: blockedCase ? { suspectedDvt: true } : {},
          },
        },
        intakeAt,
      );
      await s.dataSource.query(`UPDATE intake SET created_at = $1 WHERE id = $2`, [intakeAt, intake.id]);
      const plan = await plans.propose(s.tenant, intake.id);
      await s.dataSource.query(`UPDATE plan_version SET changed_at = $1 WHERE plan_id = $2`, [intakeAt, plan.id]);
      if (blockedCase) continue; // screening found a red flag: the proposal says refer, no sessions.
      await plans.accept(s.tenant, plan.id, 'Agreed with the client at intake');
      await s.dataSource.query(`UPDATE plan_version SET changed_at = $1 WHERE plan_id = $2 AND version = 2`, [intakeAt, plan.id]);

      // Past sessions, one a week at the client's slot, re-assessed every four.
      let session = 0;
      let maintenance = false;
      let last = start;
      for (let at = start; at.toJSDate() < s.now; at = at.plus({ weeks: maintenance ? 4 : 1 })) {
        session++;
        const trend = course === 'improving' ? -0.6 * session : course === 'worsening' ? 0.4 * session : 0;
        const painBefore = Math.max(1, Math.min(10, Math.round(painStart + trend + (random() - 0.5))));
        const painAfter = Math.max(0, painBefore - 1 - Math.floor(random() * 2));
        const end = at.plus({ minutes: 60 });
        // The session and its signed note, in one transaction.
        const appt = await s.db.tenant(s.tenant, async (tx) => {
          const a = await tx.repo(Appointment).insert({
            clinicId: clinic.id, practitionerId: practitioner.id, roomId: room?.id ?? null, clientId: client.id, planId: plan.id,
            sessionNumber: session, phaseIndex: 0, kind: 'SESSION', startsAt: at.toJSDate(), endsAt: end.toJSDate(), status: 'COMPLETED',
            statusReason: null, statusChangedAt: end.toJSDate(), rescheduledFrom: null, seriesId: null, createdBy: s.tenant.userId,
          });
          await tx.repo(SessionNote).insert({
            appointmentId: a.id, clientId: client.id, practitionerId: practitioner.id, planId: plan.id,
            checkin: { painNow: painBefore, painAreas: [complaint.region], pressureToday: 'firm' },
            techniques: [{ technique: 'myofascial-release', pressure: 'firm', areas: [complaint.region], minutes: 30 }, { technique: 'trigger-point', pressure: 'firm', areas: [complaint.region], minutes: 20 }],
            durationMinutes: 60, clientFeedback: painAfter < painBefore ? 'Looser afterwards' : 'About the same',
            painAfter, soap: { subjective: `Pain ${painBefore}/10 on arrival`, objective: `Tight ${complaint.region}`, assessment: course, plan: 'Continue the plan' },
            homeCare: [{ kind: 'stretch', description: 'Daily stretches as shown', daysPerWeek: 5 }], signedAt: end.toJSDate(), signedBy: s.tenant.userId, createdBy: s.tenant.userId,
          });
          return a;
        });
        pastSessions++;
        last = at;
        if (session % 4 === 0 && !maintenance) {
          const pain = Math.max(0, painBefore - 1);
          const fn = complaint.fn as { odi?: number; ndi?: number; psfs?: { activity: string; score: number }[] };
          const gain = course === 'improving' ? 1 : course === 'worsening' ? -0.3 : 0;
          const measures = {
            pain: [{ complaintId: 'c1', score: pain }],
            ...(fn.psfs ? { psfs: fn.psfs.map((p) => ({ ...p, score: Math.max(0, Math.min(10, p.score + Math.round(gain * session * 0.75))) })) } : {}),
            ...(fn.odi !== undefined ? { odi: Math.max(0, Math.min(100, Math.round(fn.odi - gain * session * 3))) } : {}),
            ...(fn.ndi !== undefined ? { ndi: Math.max(0, Math.min(50, Math.round(fn.ndi - gain * session * 1.5))) } : {}),
          };
          const assessedAt = end.toJSDate();
          const r = await reassessments.record(s.tenant, { planId: plan.id, measures, appointmentId: appt.id }, assessedAt);
          await reassessments.accept(s.tenant, r.id, 'Discussed with the client');
          await s.dataSource.getRepository(ReassessmentRecord).update({ id: r.id }, { assessedAt });
          const current = await s.dataSource.getRepository(TreatmentPlanRecord).findOneByOrFail({ id: plan.id });
          await s.dataSource.getRepository(PlanVersion).update({ planId: plan.id, version: current.currentVersion }, { changedAt: assessedAt });
          maintenance = current.status === 'MAINTENANCE';
          if (r.decision === 'REFER' || r.decision === 'STOP_AND_REFER') break;
        }
      }

      // Upcoming: the next visits, booked through the service so reminders follow.
      const current = await s.dataSource.getRepository(TreatmentPlanRecord).findOneByOrFail({ id: plan.id });
      if (!isLivePlan(current.status)) continue;
      const step = current.status === 'MAINTENANCE' ? { weeks: 4 } : { weeks: 1 };
      let next = last.plus(step);
      while (next.toJSDate() <= s.now) next = next.plus(step);
      for (let k = 0; k < (current.status === 'MAINTENANCE' ? 1 : 3); k++, next = next.plus(step)) {
        await appointments.book(s.tenant, {
          clinicId: clinic.id, practitionerId: practitioner.id, roomId: room?.id ?? null, clientId: client.id, planId: plan.id,
          startsAt: next.toISO(), durationMinutes: 60, kind: current.status === 'MAINTENANCE' ? 'MAINTENANCE' : 'SESSION',
        });
        upcoming++;
      }
    }
  }
  return { clients: n, pastSessions, upcoming };
}

import { Invitation } from '@fascia/db';
import { signInvitationToken } from '@fascia/jobs';
import type { Locator, Page } from 'playwright-core';
import { APP_SECRET, axeViolations, E2E_WAIT_MS, type AdminHarness } from './harness';

/**
 * The steps the browser tests share (beside harness.ts, which starts the app): setting up an
 * organization over the API, signing in, acting on a form and waiting for its outcome, axe-core
 * and screenshots, filling the intake form. Every wait here is on progress (a heading, a status
 * line, a URL); its guard is the harness's E2E_WAIT_MS.
 */

/** A person who signs in. */
export interface Who {
  email: string;
  password: string;
}

/** A GraphQL call as someone (h.gqlAsAdmin, or gqlAs bound to a person). */
export type Gql = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** Weekly hours on every day of the week, from `start` to `end` (local wall times, "08:00"). */
export const everyDay = (start: string, end: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

/** The local date (yyyy-mm-dd) in zone `tz` at the instant `at` (now by default). */
export function localDate(tz: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Creates a clinic, practitioner, client or room (`create${what}(input: $i) { id }`) and returns its id.
 * e.g. `await create(h.gqlAsAdmin, 'Clinic', { name: 'Harbour Central', … })`.
 */
export async function create(gql: Gql, what: 'Clinic' | 'Practitioner' | 'Client' | 'Room', input: Record<string, unknown>): Promise<string> {
  const field = `create${what}`;
  const r = await gql<Record<string, { id: string }>>(`mutation($i: Create${what}Input!) { ${field}(input: $i) { id } }`, { i: input });
  return r[field].id;
}

/** Accepts a staff invitation over the API, as the email's link would, choosing `password`. */
export async function acceptInvitation(h: AdminHarness, invitationId: string, password: string): Promise<void> {
  const invitation = await h.tdb.dataSource.getRepository(Invitation).findOneByOrFail({ id: invitationId });
  const token = signInvitationToken(invitation.id, invitation.expiresAt, APP_SECRET);
  const res = await fetch(`${h.apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }', variables: { input: { token, password } } }),
  });
  const body = (await res.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`accepting the invitation failed: ${JSON.stringify(body.errors)}`);
}

/** Invites a member of staff (`input`: InviteStaffInput but the email) and accepts for them: they can then sign in as `person`. */
export async function inviteStaff(h: AdminHarness, gql: Gql, person: Who, input: Record<string, unknown>): Promise<void> {
  const invited = await gql<{ inviteStaff: { id: string } }>(`mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { id } }`, { i: { email: person.email, ...input } });
  await acceptInvitation(h, invited.inviteStaff.id, person.password);
}

/** With ADMIN_SCREENSHOT_DIR set, keeps a full-page picture of the screen for a person to look at (from the top: a scrolled page draws the sticky header mid-page). */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.ADMIN_SCREENSHOT_DIR;
  if (!dir) return;
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** axe-core on the page once its queries settle; the serious and critical violations go into `found` under `name` (asserted empty at the end). */
export async function checkA11y(page: Page, name: string, found: Record<string, string[]>): Promise<void> {
  await page.waitForLoadState('networkidle');
  const v = await axeViolations(page);
  if (v.length) found[name] = v;
}

/** Signs in on the sign-in page and waits for the first page's heading (the dashboard's greeting, a practitioner's day). */
export async function signIn(page: Page, who: Who, heading: RegExp | string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

const REFUSALS = '[role="alert"], .field-error';

/**
 * Clicks `button` and waits for a success line (a status matching `success`) in `scope`; a refusal
 * (an alert or a field error in `refusedIn`, `scope` unless told) fails the test with the page's words.
 */
export async function act(scope: Page | Locator, button: Locator, success: RegExp, refusedIn: Page | Locator = scope): Promise<void> {
  await button.click();
  const ok = scope.getByRole('status').filter({ hasText: success });
  const refusals = refusedIn.locator(REFUSALS);
  const outcome = await Promise.race([ok.waitFor().then(() => 'ok' as const), refusals.first().waitFor().then(() => 'refused' as const)]);
  if (outcome === 'refused') throw new Error(`refused: ${(await refusals.allInnerTexts()).join(' | ')}`);
}

/** Submits a form with `button` and waits for `url`; a refusal fails the test with what the page says. */
export async function submitAndExpect(page: Page, button: Locator, url: RegExp): Promise<void> {
  await button.click();
  const refusals = page.locator(REFUSALS);
  const outcome = await Promise.race([page.waitForURL(url).then(() => 'ok' as const), refusals.first().waitFor().then(() => 'refused' as const)]);
  if (outcome === 'refused') throw new Error(`the form was refused: ${(await refusals.allInnerTexts()).join(' | ')}`);
}

/** What the intake form is filled with (the option values of its selects; numbers as typed). */
export interface IntakeAnswers {
  region: string;
  side: string;
  startedOn: string;
  cause: string;
  painNow: string;
  painWorst: string;
  activity: { name: string; score: string };
  /** The region's outcome measure, by its label ("Neck Disability Index (0–50)"), and the score. */
  outcomeMeasure: { label: string; score: string };
  pressure: string;
  /** Ticks the red flag "new difficulty passing urine…" (the screening blocks the intake). */
  bladderRedFlag: boolean;
  activityLevel: string;
  workPosture: string;
  stress: string;
  sleep: string;
  /** A goal's checkbox, by its name ("Pain relief"). */
  goal: string;
  sessionsPerWeek: string;
  homeCare: string;
}

export const BLADDER_RED_FLAG = 'New difficulty passing urine, retention or incontinence';

/** Fills the intake form (`form`: the form named "Intake") with one complaint and one activity, in the order a person would. */
export async function fillIntake(form: Locator, a: IntakeAnswers): Promise<void> {
  const complaint = form.getByRole('group', { name: 'Complaint 1' });
  await complaint.getByLabel('Region').selectOption(a.region);
  await complaint.getByLabel('Side').selectOption(a.side);
  await complaint.getByLabel('Started on').fill(a.startedOn);
  await complaint.getByLabel('Cause').selectOption(a.cause);
  await complaint.getByLabel('Pain now (0–10)').fill(a.painNow);
  await complaint.getByLabel('Worst pain this week (0–10)').fill(a.painWorst);
  await form.getByRole('button', { name: 'Add an activity' }).click();
  await form.getByLabel('Activity 1', { exact: true }).fill(a.activity.name);
  await form.getByLabel('Activity 1 score (0–10)').fill(a.activity.score);
  await form.getByLabel(a.outcomeMeasure.label).fill(a.outcomeMeasure.score);
  await form.getByLabel('Pressure they tolerate').selectOption(a.pressure);
  if (a.bladderRedFlag) await form.getByLabel(BLADDER_RED_FLAG).check();
  await form.getByLabel('Activity', { exact: true }).selectOption(a.activityLevel);
  await form.getByLabel('Work posture').selectOption(a.workPosture);
  await form.getByLabel('Stress (0–10)').fill(a.stress);
  await form.getByLabel('Sleep').selectOption(a.sleep);
  await form.getByRole('checkbox', { name: a.goal }).check();
  await form.getByLabel('How often they can come').selectOption(a.sessionsPerWeek);
  await form.getByLabel('Home care they will do').selectOption(a.homeCare);
}

/** Books an appointment over the API (BookAppointmentInput) and returns its id. */
export async function book(gql: Gql, input: Record<string, unknown>): Promise<string> {
  const r = await gql<{ bookAppointment: { id: string } }>(`mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }`, { i: input });
  return r.bookAppointment.id;
}

/**
 * What is wrong with where a trajectory chart's benchmark labels sit (TrajectoryChart.tsx): a label
 * inside the plot (where a measurement can fall), over a measurement's dot or another label, or cut
 * by the chart's edge. Empty when every label is readable beside the plot.
 */
export async function settledBenchmarkLabelProblems(chart: Locator): Promise<string[]> {
  // The chart is drawn once at a first guess of its size, then again at its box's width.
  const deadline = Date.now() + E2E_WAIT_MS;
  for (let problems = await benchmarkLabelProblems(chart); ; problems = await benchmarkLabelProblems(chart)) {
    if (!problems.length || Date.now() > deadline) return problems;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function benchmarkLabelProblems(chart: Locator): Promise<string[]> {
  return chart.evaluate((root) => {
    const problems: string[] = [];
    const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    // The plot's grid, and the chart's own drawing surface around it (the legend's icons are small surfaces too).
    const grid = root.querySelector('.recharts-cartesian-grid');
    const plot = grid?.getBoundingClientRect();
    const surface = grid?.closest('svg')?.getBoundingClientRect();
    const dots = Array.from(root.querySelectorAll('.recharts-line-dot')).map((d) => d.getBoundingClientRect());
    const labels = Array.from(root.querySelectorAll('.benchmark-label'));
    if (!plot || !surface) return ['no chart drawn'];
    if (!labels.length) problems.push('no benchmark label');
    if (!dots.length) problems.push('no measurement drawn');
    for (const label of labels) {
      const box = label.getBoundingClientRect();
      const name = `"${(label.textContent ?? '').trim()}"`;
      if (box.left < plot.right) problems.push(`${name} starts at ${Math.round(box.left)} px, inside the plot (its right edge at ${Math.round(plot.right)} px)`);
      if (box.right > surface.right + 1 || box.top < surface.top - 1 || box.bottom > surface.bottom + 1) problems.push(`${name} is cut by the chart's edge`);
      if (dots.some((d) => overlap(box, d))) problems.push(`${name} covers a measurement`);
      for (const other of labels) if (other !== label && overlap(box, other.getBoundingClientRect())) problems.push(`${name} covers another benchmark's label`);
    }
    return problems;
  });
}

/**
 * Waits until `locator` matches `count` elements (a list re-rendered by a refetch: the old rows
 * can still be on the page when the first of the new ones is awaited). Guarded like any wait, by E2E_WAIT_MS.
 */
export async function waitForCount(locator: Locator, count: number, what: string): Promise<void> {
  const deadline = Date.now() + E2E_WAIT_MS;
  for (let seen = await locator.count(); seen !== count; seen = await locator.count()) {
    if (Date.now() > deadline) throw new Error(`${what}: ${seen}, not ${count}, after ${E2E_WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

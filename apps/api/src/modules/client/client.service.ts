import { CHANNELS, Client, Clinic, PAYMENT_METHODS, preparedQuery, type Clock, type Db, systemClock, type TenantTx } from '@fascia/db';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, notFound } from '../../common/errors';
import { assertClientWritable, clientReachSql, findReadableClient } from '../../auth/scope';
import { CAPPED_TOTAL as TOTAL, cappedCount, decodeCursor, pageSize, toCount, toPage, type Page } from '../../common/pagination';
import { metadataOf, plainColumns } from '../../common/plain-rows';
import { email, name, parse, uuid, optionalText } from '../../common/validation';

/** Phone numbers are kept as digits with an optional leading + (E.164-like: 7–15 digits). */
const phone = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^\+?[0-9]{7,15}$/, 'must be a phone number of 7–15 digits, e.g. +44 7700 900123'));

/** A date of birth: a real calendar date, in the past, at most 120 years ago (judged by the clock). */
const dateOfBirth = (clock: Clock) => z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .superRefine((s, ctx) => {
    const d = DateTime.fromISO(s, { zone: 'utc' });
    const today = DateTime.fromJSDate(clock.now(), { zone: 'utc' }).startOf('day');
    if (!d.isValid) ctx.addIssue({ code: 'custom', message: `is not a calendar date (${s})` });
    else if (d >= today) ctx.addIssue({ code: 'custom', message: 'must be in the past' });
    else if (today.diff(d, 'years').years > 120) ctx.addIssue({ code: 'custom', message: 'is more than 120 years ago; check the year' });
  });

const emergencyContact = z.object({
  name: name(200),
  phone,
  relationship: optionalText(100),
});

const fieldsFor = (clock: Clock) => ({
  firstName: name(100),
  lastName: name(100),
  preferredName: optionalText(100),
  dateOfBirth: dateOfBirth(clock).nullish(),
  email: email.nullish(),
  phone: phone.nullish(),
  preferredChannels: z
    .array(z.enum(CHANNELS))
    .max(10, 'at most 10 channels')
    .transform((c) => [...new Set(c)])
    .nullish(),
  reminderConsent: z.boolean().nullish(),
  emergencyContact: emergencyContact.nullish(),
  paymentMethod: z.enum(PAYMENT_METHODS).nullish(),
  paymentNotes: optionalText(2000),
  clinicIds: z.array(uuid).max(100, 'at most 100 clinics').transform((c) => [...new Set(c)]).nullish(),
});
function schemasFor(clock: Clock) {
  const fields = fieldsFor(clock);
  return { create: z.object(fields), update: z.object({ ...fields, firstName: name(100).optional(), lastName: name(100).optional() }) };
}

type ClientFields = Omit<Client, 'id' | 'organizationId' | 'archivedAt' | 'createdAt' | 'updatedAt'>;

/**
 * The clients page's order: `client.sort_name` (generated: lower(last name), tab, lower(first
 * name)) then id, which `client_name_idx` holds after the organization. A plain column, so the
 * keyset condition is an index condition under row-level security (migration IndexesAtScale).
 */
const SORT = 'c.sort_name';

/** Clients-page statement texts kept per request shape (see ClientService.pageStatements). */
const MAX_PAGE_SHAPES = 500;

export class ClientService {
  private readonly schemas: ReturnType<typeof schemasFor>;
  private readonly pageSql = new Map<string, { page: string; count: string }>();

  constructor(
    private readonly db: Db,
    clock: Clock = systemClock,
  ) {
    this.schemas = schemasFor(clock);
  }

  /**
   * Clients by last name, then first name. `search` (trimmed, case-insensitive) matches any part
   * of a first, last, preferred or full name or of an email address, and, when it holds three or
   * more digits, any part of the phone number's digits however it is typed; a search of one or
   * two characters matches the start of a name word (or of the email). The matching, the clinic
   * filter and the clinic scope narrow the candidates through `fascia_client_search`, over
   * indexes (migration IndexesAtScale); the page and its capped count are one statement
   * (docs/api.md, "Counts" and "Clients: search").
   */
  list(
    tenant: Tenant,
    args: { first?: number | null; after?: string | null; search?: string | null; clinicId?: string | null },
    /** Only these properties of each client (a `pickColumns` list; null or absent: every column). */
    columns: readonly string[] | null = null,
  ): Promise<Page<Client>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after);
    if (args.clinicId) parse(uuid, args.clinicId, 'clinicId');
    // Runs of spaces and control characters are one space (the searched text separates its parts with chr(1)).
    const search = (args.search ?? '').replace(/[\s\p{Cc}]+/gu, ' ').trim().toLowerCase();
    if (search.length > 200) throw badInput('search', 'search must be at most 200 characters.');
    return this.db.tenant(tenant, async (tx) => {
      // The page's SQL is written here, not built with a query builder per request (issue 10:
      // the builder's getQuery, clone and property-name rewriting were a tenth of a clients
      // page's CPU in the API), and runs as a named prepared statement (parsed and planned once
      // per connection, as the raw floor's). Its text varies only with the request's shape — a
      // search, a clinic, the member's clinic scope, a cursor, the page size and the columns — so
      // it is written once per shape (pageStatements) and only the parameters are per request.
      const scoped = tenant.clinicIds !== null;
      const only = columns ? [...new Set(['id', 'sortName', ...columns])] : null;
      const sql = this.pageStatements(tx, { search: search !== '', clinic: !!args.clinicId, scoped, after: after !== null, size, only });
      const params: unknown[] = [tx.organizationId];
      if (search || args.clinicId || scoped) params.push(search || null, args.clinicId ?? null, tenant.clinicIds);
      if (scoped) params.push(tenant.clinicIds);
      if (args.clinicId) params.push(args.clinicId);
      const filteredParams = params.length;
      if (after) params.push(after[0], after[1]);
      const found = await preparedQuery<Client & { [TOTAL]?: number }>(tx.em, sql.page, params);
      // Past the end (no row to carry it): the count alone, in the same transaction. (The count's
      // property stays on the rows: GraphQL shows only the fields asked for, and deleting a
      // property turned each row into a slow dictionary-mode object, issue 10.)
      const counted = found.length ? found[0][TOTAL] : (await preparedQuery<{ total: number }>(tx.em, sql.count, params.slice(0, filteredParams)))[0].total;
      // The cursor carries PostgreSQL's own sort key: JavaScript lower-cases some letters differently (İ).
      return toPage(found as Client[], size, toCount(Number(counted ?? 0)), (c) => {
        if (c.sortName === undefined) throw new Error('the clients page must select c.sortName for its cursor');
        return c.sortName;
      });
    });
  }

  /** The clients page's statements (the page with its capped count, and the count alone) for one request shape, written once. */
  private pageStatements(tx: TenantTx, shape: { search: boolean; clinic: boolean; scoped: boolean; after: boolean; size: number; only: readonly string[] | null }): { page: string; count: string } {
    const key = `${+shape.search}${+shape.clinic}${+shape.scoped}${+shape.after}|${shape.size}|${shape.only ? shape.only.join(',') : '*'}`;
    let sql = this.pageSql.get(key);
    if (sql) return sql;
    // The parameters, in the order list() pushes them: $1 the organization; then the search,
    // the clinic and the clinic scope for fascia_client_search; the scope again; the clinic; the cursor.
    let n = 1;
    const next = () => `$${++n}`;
    let filtered = 'c.organization_id = $1 AND c.archived_at IS NULL';
    // Searched, filtered by clinic or limited by the member's clinics: the candidates come from
    // fascia_client_search, over indexes that row-level security keeps a LIKE or an array
    // operator from using here; the conditions below still decide (the scope per candidate).
    if (shape.search || shape.clinic || shape.scoped) filtered += ` AND c.id = ANY(ARRAY(SELECT fascia_client_search(${next()}::text, ${next()}::uuid, ${next()}::uuid[])))`;
    // A member limited to clinics lists only the clients reachable from them (auth/scope.ts).
    if (shape.scoped) filtered += ` AND ${clientReachSql('c', '$1', `${next()}::uuid[]`)}`;
    if (shape.clinic) filtered += ` AND ${next()}::uuid = ANY(c.clinic_ids)`;
    // The count in the page's order, so it walks the page's index.
    const countSql = cappedCount('"client" c', filtered, `${SORT}, c.id`);
    const paged = shape.after ? `${filtered} AND (${SORT}, c.id) > (${next()}::text, ${next()}::uuid)` : filtered;
    // The page keys on the id and the sort key (its cursor): always read.
    sql = {
      page: `SELECT ${plainColumns(metadataOf(tx, Client), 'c', '', shape.only)}, ${countSql} AS "${TOTAL}" FROM "client" c WHERE ${paged} ORDER BY ${SORT}, c.id LIMIT ${shape.size + 1}`,
      count: `SELECT ${countSql} AS total`,
    };
    // Shapes are few (the columns follow the query's selection): past MAX_PAGE_SHAPES, not kept.
    if (this.pageSql.size < MAX_PAGE_SHAPES) this.pageSql.set(key, sql);
    return sql;
  }

  get(tenant: Tenant, id: string): Promise<Client | null> {
    parse(uuid, id, 'id');
    // The client and, for a clinic-limited member, its reachability: one statement.
    return this.db.tenant(tenant, (tx) => findReadableClient(tx, tenant, id, 'client.read'));
  }

  create(tenant: Tenant, input: unknown): Promise<Client> {
    const data = parse(this.schemas.create, input);
    const values: ClientFields = {
      firstName: data.firstName,
      lastName: data.lastName,
      preferredName: data.preferredName ?? null,
      dateOfBirth: data.dateOfBirth ?? null,
      email: data.email ?? null,
      phone: data.phone ?? null,
      preferredChannels: data.preferredChannels ?? [],
      reminderConsent: data.reminderConsent ?? false,
      emergencyContact: data.emergencyContact ? { ...data.emergencyContact, relationship: data.emergencyContact.relationship ?? null } : null,
      paymentMethod: data.paymentMethod ?? null,
      paymentNotes: data.paymentNotes ?? null,
      clinicIds: data.clinicIds ?? [],
    };
    checkChannels(values);
    if (tenant.clinicIds !== null) {
      // A member limited to clinics registers the client at their clinics, or the client would be out of their reach.
      if (values.clinicIds.length === 0) values.clinicIds = [...tenant.clinicIds];
      else if (!values.clinicIds.some((c) => tenant.clinicIds?.includes(c))) {
        throw badInput('input.clinicIds', 'input.clinicIds must include one of your clinics (or leave it empty to register the client at yours).');
      }
    }
    return this.db.tenant(tenant, async (tx) => {
      await checkClinics(tx, values.clinicIds);
      const client = await tx.repo(Client).insert(values);
      await tx.audit({ action: 'client.create', recordType: 'client', recordId: client.id });
      return client;
    });
  }

  update(tenant: Tenant, id: string, input: unknown): Promise<Client> {
    parse(uuid, id, 'id');
    const patch = parse(this.schemas.update, input);
    const given = Object.keys(input as object).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    for (const k of ['preferredChannels', 'reminderConsent', 'clinicIds'] as const) {
      if (given.includes(k) && patch[k] === null) throw badInput(`input.${k}`, `input.${k} cannot be cleared; pass ${k === 'reminderConsent' ? 'false' : 'an empty list'}.`);
    }
    return this.db.tenant(tenant, async (tx) => {
      const repo = tx.repo(Client);
      const current = await repo.findOneBy({ id });
      if (!current) throw notFound('client', id);
      await assertClientWritable(tx, tenant, id, 'client.update');
      const changes: Partial<ClientFields> = {};
      for (const k of given) {
        const v = (patch as Record<string, unknown>)[k];
        if (k === 'emergencyContact' && v) {
          const ec = v as { name: string; phone: string; relationship?: string | null };
          changes.emergencyContact = { ...ec, relationship: ec.relationship ?? null };
        } else (changes as Record<string, unknown>)[k] = v ?? null;
      }
      checkChannels({ ...current, ...changes });
      if (changes.clinicIds) await checkClinics(tx, changes.clinicIds);
      if (Object.keys(changes).length) await repo.update({ id }, changes as Partial<Client>);
      await tx.audit({ action: 'client.update', recordType: 'client', recordId: id, detail: { fields: Object.keys(changes) } });
      return (await repo.findOneBy({ id })) as Client;
    });
  }
}

/** A reminder channel needs the matching contact detail. */
function checkChannels(c: Pick<Client, 'preferredChannels' | 'email' | 'phone'>): void {
  if (c.preferredChannels.includes('SMS') && !c.phone) {
    throw badInput('input.phone', 'input.phone is required when SMS is a preferred channel.');
  }
  if (c.preferredChannels.includes('EMAIL') && !c.email) {
    throw badInput('input.email', 'input.email is required when EMAIL is a preferred channel.');
  }
}

async function checkClinics(tx: TenantTx, clinicIds: string[]): Promise<void> {
  if (clinicIds.length === 0) return;
  const found = new Set((await tx.repo(Clinic).findBy({ id: In(clinicIds) })).map((c) => c.id));
  const i = clinicIds.findIndex((id) => !found.has(id));
  if (i >= 0) throw badInput(`input.clinicIds[${i}]`, `No clinic with id ${clinicIds[i]} exists in your organization.`);
}

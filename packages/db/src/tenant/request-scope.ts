import type { EntityManager, QueryRunner } from 'typeorm';
import { nameOf, type PreparedClient, type RunnerWithPrepared } from './prepared';
import { bindToScope } from './request-storage';
import { appendAudit, auditedDenial, auditRecordOf, auditStatement, sqlValue, selectTenantSession, TenantTx, type ActiveMembership, type AuditRecord, type AuditSink, type Db, type TenantContext } from './tenant-scope';

/**
 * How a request's `Db.tenant` calls share its transaction:
 * - `read` (a GraphQL query): concurrently, no savepoints; audit events are collected and
 *   inserted with one statement just before COMMIT;
 * - `write` (a mutation): one after another, each in a SAVEPOINT, so a call that fails leaves
 *   nothing half-written while the request goes on; audit events are inserted in the step. A
 *   call made while a step runs — a service calling another inside its step — joins that step
 *   (no savepoint of its own; the step ends only after it). A mutation's resolvers call the
 *   database one after another, so a call made meanwhile is the step's own.
 */
export type RequestMode = 'read' | 'write';

/** The request's transaction could not be committed: nothing it did was kept. */
export class RequestCommitError extends Error {
  constructor(cause: unknown) {
    super(`The request's transaction did not commit: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * One transaction for one API request (docs/architecture.md, "One transaction per request").
 *
 * The API runs each GraphQL request inside {@link runInRequestScope}. The transaction opens
 * on the first use, `Db.tenantSession(tenant, scope)` (the membership check, which also
 * switches the session to `fascia_app` for the organization and user), which binds that tenant
 * object to the scope ({@link bind}); from then on every `Db.tenant` call of the request with a
 * tenant bound to it, for that organization and user — services and DataLoader batches — runs
 * on the same connection in the same transaction. The API commits it before the
 * response is sent ({@link commit}; a failed COMMIT becomes an error response) and
 * {@link end} always releases the connection, whatever happened.
 *
 * Anything else (another organization, `Db.system`, the worker, a test calling a service
 * directly) keeps a transaction of its own, as before.
 */
export class RequestScope implements AuditSink {
  mode: RequestMode = 'read';
  private runner: QueryRunner | null = null;
  private tenant: TenantContext | null = null;
  private state: 'new' | 'open' | 'ended' = 'new';
  /** A statement failed and no savepoint undid it: the transaction can only roll back. */
  private aborted = false;
  /** Audit events of a read request, inserted together before COMMIT. */
  private pending: AuditRecord[] = [];
  /** DENIED events recorded in the transaction: written again in one of their own if it does not commit. */
  private denials: AuditRecord[] = [];
  /** The end of the last write step: write steps run one after another. */
  private tail: Promise<void> = Promise.resolve();
  /** The write step running now, with the calls that joined it (see {@link RequestMode}). */
  private running: { joined: Set<Promise<unknown>> } | null = null;
  /**
   * Sends a simple-query message (several statements, no parameters) on the request's queue,
   * its text made from the connection (null: nothing sent, false returned).
   */
  private simple: SimpleSender | null = null;
  /** The exclusive section running now, if any (see {@link exclusive}). */
  private section: { em: EntityManager; done: Promise<void> } | null = null;
  /** An entity manager on the request's connection whose statements pass an exclusive section's gate. */
  private sectionManager: (() => EntityManager) | null = null;

  constructor(readonly db: Db) {}

  /** Whether `Db.tenant(tenant, …)` runs in this request's transaction. */
  serves(tenant: TenantContext): boolean {
    return this.state === 'open' && this.tenant !== null && this.tenant.organizationId === tenant.organizationId && this.tenant.userId === tenant.userId;
  }

  /** Whether the request's transaction is still to be opened (by {@link open}). */
  get isNew(): boolean {
    return this.state === 'new';
  }

  /** Whether the request's transaction is open. */
  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Binds `tenant` to this request: `Db.tenant` calls with that object run in its transaction. */
  bind<T extends TenantContext>(tenant: T): T {
    return bindToScope(tenant, this);
  }

  /** BEGIN and the session setup with the membership check: two statements, in one round trip (beginTenantSession). */
  async open(tenant: TenantContext): Promise<ActiveMembership[]> {
    if (this.state !== 'new') throw new Error('RequestScope.open: the request already has its transaction');
    this.state = 'open';
    const runner = this.db.dataSource.createQueryRunner();
    this.runner = runner;
    // Every statement goes through runner.query (TypeORM's own BEGIN/SAVEPOINT/COMMIT too).
    // The request's fields and DataLoader batches run concurrently: their statements are sent
    // one at a time on the one connection (pg would otherwise queue them itself, deprecated).
    // One that fails leaves the transaction aborted until a savepoint is rolled back to.
    const query = runner.query.bind(runner);
    let last: Promise<unknown> = Promise.resolve();
    const serial = <R>(send: () => Promise<R>, inSection = false): Promise<R> => {
      // While an exclusive section runs (a switch of role, its statements, the switch back),
      // statements of the request's other fields wait for its end before they join the queue;
      // the section's own come through its entity manager (sectionManager), marked inSection.
      const section = this.section;
      if (section && !inSection) return section.done.then(() => serial(send));
      const run = last.then(send);
      last = run.catch(() => undefined);
      return run.catch((err: unknown) => {
        this.aborted = true;
        throw err;
      });
    };
    runner.query = ((...args: Parameters<QueryRunner['query']>) => serial(() => query(...args))) as QueryRunner['query'];
    this.simple = (make) =>
      serial(async () => {
        const client = (await (runner as unknown as { connect(): Promise<SimpleQueryClient> }).connect()) as SimpleQueryClient;
        const text = make(client);
        if (text === null) return false;
        await client.query(text);
        return true;
      });
    // Named prepared statements (prepared.ts) take the same queue and the same abort tracking:
    // a failed one must leave the transaction marked aborted, or a COMMIT (which PostgreSQL
    // answers with ROLLBACK, no error) would report a mutation's lost writes as kept.
    const prepared = (inSection: boolean) => (config: Parameters<NonNullable<RunnerWithPrepared['fasciaPrepared']>>[0]) =>
      serial(async () => {
        const client = (await (runner as unknown as { connect(): Promise<PreparedClient> }).connect()) as PreparedClient;
        return client.query(config);
      }, inSection);
    (runner as RunnerWithPrepared).fasciaPrepared = prepared(false);
    // The section's runner is the request's own (its connection, transaction and state, through
    // the prototype) but for how its statements queue: they pass the section's gate.
    this.sectionManager = () => {
      const sectionRunner = Object.create(runner) as QueryRunner & RunnerWithPrepared;
      sectionRunner.query = ((...args: Parameters<QueryRunner['query']>) => serial(() => query(...args), true)) as QueryRunner['query'];
      sectionRunner.fasciaPrepared = prepared(true);
      return runner.connection.createEntityManager(sectionRunner);
    };
    try {
      const memberships = await beginTenantSession(runner, tenant);
      this.tenant = this.bind(tenant);
      return memberships;
    } catch (err) {
      await this.end();
      throw err;
    }
  }

  /**
   * Runs `fn` alone on the request's connection when `em` is the request's: `fn` gets an entity
   * manager of its own on that connection, and statements that other fields of a read request
   * send meanwhile (through any other manager) wait until `fn` ends (their order is kept). For
   * the few steps that change the session's role for some statements and back
   * (`throughExchange`): in a read request the fields run concurrently on one connection, and
   * without this a sibling field's statement could run under the borrowed role. `fn` must send
   * its statements through the manager it is given (a statement of its own through another one
   * would wait for the section's end). Sections run one at a time; one asked for with the
   * running section's manager joins it. Outside this request's connection, `fn(em)`.
   */
  async exclusive<T>(em: EntityManager, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.section?.em === em) return fn(em);
    if (!this.runner || em !== this.runner.manager || !this.sectionManager) return fn(em);
    while (this.section) await this.section.done;
    let release!: () => void;
    const section = { em: this.sectionManager(), done: new Promise<void>((resolve) => (release = resolve)) };
    this.section = section;
    try {
      return await fn(section.em);
    } finally {
      this.section = null;
      release();
    }
  }

  /** Runs one `Db.tenant` call of the request in its transaction. */
  async step<T>(tenant: TenantContext, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    const runner = this.runner as QueryRunner;
    const joining = this.mode === 'write' ? this.running : null;
    if (this.mode === 'read' || joining) {
      const call = fn(new TenantTx(runner.manager, tenant, this.mode === 'read' ? this : null));
      joining?.joined.add(call);
      try {
        return await call;
      } catch (err) {
        // A read has nothing to undo: its refusal is recorded with the request's other events.
        // (A call nested in a write step leaves the refusal to that step, which rolls back first.)
        const denial = this.mode === 'read' ? auditedDenial(err) : null;
        if (denial) {
          const record = auditRecordOf(tenant, { ...denial.deniedAudit, outcome: 'DENIED' });
          this.pending.push(record);
          this.denials.push(record);
          denial.deniedAuditWritten = true;
        }
        throw err;
      }
    }
    const previous = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => (done = resolve));
    await previous;
    const running = { joined: new Set<Promise<unknown>>() };
    try {
      if (this.state !== 'open') throw new Error('RequestScope.step: the request has ended');
      await runner.startTransaction(); // SAVEPOINT
      this.running = running;
      try {
        let result: T;
        try {
          result = await fn(new TenantTx(runner.manager, tenant));
        } finally {
          // The calls that joined the step end inside its savepoint, whatever its own outcome.
          while (running.joined.size > 0) {
            const calls = [...running.joined];
            running.joined.clear();
            await Promise.allSettled(calls);
          }
          this.running = null;
        }
        await runner.commitTransaction(); // RELEASE SAVEPOINT
        return result;
      } catch (err) {
        try {
          await runner.rollbackTransaction(); // ROLLBACK TO SAVEPOINT: the step left nothing
        } catch {
          // The connection is gone: the transaction stays aborted and will not commit.
          throw err;
        }
        this.aborted = false;
        const denial = auditedDenial(err);
        if (denial) {
          const record = auditRecordOf(tenant, { ...denial.deniedAudit, outcome: 'DENIED' });
          await appendAudit(runner.manager, record);
          this.denials.push(record);
          denial.deniedAuditWritten = true;
        }
        throw err;
      }
    } finally {
      done();
    }
  }

  deferAudit(records: AuditRecord[]): void {
    this.pending.push(...records);
  }

  /**
   * Inserts the collected audit events (one statement) and commits. Throws
   * {@link RequestCommitError} when the transaction does not commit — then nothing of the
   * request was kept except its DENIED audit events, which are written again on their own.
   *
   * A read whose transaction a failed statement aborted (the fields that ran into it already
   * carry their errors; the others answered) has nothing to commit: it is rolled back and its
   * audit events are written, still as one INSERT, in a transaction of their own.
   */
  async commit(): Promise<void> {
    if (this.state !== 'open') return;
    const runner = this.runner as QueryRunner;
    await this.tail;
    if (this.aborted && this.mode === 'read') {
      const events = this.pending.splice(0);
      this.denials = [];
      await this.end();
      if (events.length > 0 && this.tenant) {
        try {
          await this.db.tenant(this.tenant, (tx) => appendAudit(tx.em, events));
        } catch (err) {
          throw new RequestCommitError(err);
        }
      }
      return;
    }
    try {
      if (this.aborted) throw new Error('a statement of the request failed and was not undone, so its transaction was rolled back');
      const events = this.pending.splice(0);
      const outermost = this.simple !== null && (runner as unknown as { transactionDepth: number }).transactionDepth === 1;
      const sent = outermost && (events.length > 0 ? await auditAndCommit(runner, this.simple!, events) : await commitAlone(runner, this.simple!));
      if (!sent) {
        if (events.length > 0) await appendAudit(runner.manager, events);
        await runner.commitTransaction();
      }
      this.denials = [];
    } catch (err) {
      await this.end();
      throw new RequestCommitError(err);
    }
    await this.end();
  }

  /** Rolls back what was not committed and releases the connection; safe to call more than once. */
  async end(): Promise<void> {
    if (this.state === 'ended') return;
    const wasOpen = this.state === 'open';
    this.state = 'ended';
    const runner = this.runner;
    this.runner = null;
    if (!runner) return;
    try {
      if (runner.isTransactionActive) {
        // Undo savepoints TypeORM still counts, then the transaction itself.
        while (runner.isTransactionActive) await runner.rollbackTransaction();
      }
    } catch {
      // A broken connection rolls back by itself.
    } finally {
      await runner.release();
    }
    const denials = this.denials.splice(0);
    if (wasOpen && denials.length > 0 && this.tenant) {
      // Refusals are audited even when the request's transaction was lost.
      await this.db.tenant(this.tenant, async (tx) => appendAudit(tx.em, denials));
    }
  }
}

/**
 * Runs `fn` (the handling of one API request) with a new request scope, and ends the scope
 * afterwards whatever happened: the connection is released and anything not committed is
 * rolled back. `fn` opens it with `Db.tenantSession(tenant, scope)`.
 */
export async function runInRequestScope<T>(db: Db, fn: (scope: RequestScope) => Promise<T>): Promise<T> {
  const scope = new RequestScope(db);
  try {
    return await fn(scope);
  } finally {
    await scope.end();
  }
}

/**
 * A read request's audit INSERT and its COMMIT sent together, as one simple-query message:
 * `EXECUTE <the INSERT's prepared statement>(…); COMMIT` — one round trip instead of two (issue
 * 10; the chart's ~130 events), and the INSERT keeps its prepared plan. Only once the connection
 * has prepared the INSERT (pg's own record of what it parsed; the first audited read on each
 * connection sends the two as before): false, nothing sent, otherwise. The guarantee is the same:
 * if the INSERT fails PostgreSQL skips the COMMIT and the transaction stays aborted, if the
 * COMMIT fails nothing was kept — either way this throws and the request answers with an error.
 * Both statements are logged (and counted) as two; the runner is left as `commitTransaction()`
 * leaves it. The parameters are written as literals ({@link sqlValue}).
 */
async function auditAndCommit(runner: QueryRunner, simple: SimpleSender, events: AuditRecord[]): Promise<boolean> {
  const { sql, params } = auditStatement(events);
  const name = nameOf(sql);
  const sent = await simple((client) => {
    if (!name || !client.connection?.parsedStatements?.[name]) return null;
    runner.connection.logger.logQuery(sql, params, runner);
    runner.connection.logger.logQuery('COMMIT', undefined, runner);
    return `EXECUTE ${name}(${params.map(sqlValue).join(', ')});\nCOMMIT`;
  });
  if (sent) Object.assign(runner as unknown as { isTransactionActive: boolean; transactionDepth: number }, { isTransactionActive: false, transactionDepth: 0 });
  return sent;
}

/**
 * The request's COMMIT when it has no audit events to insert first: sent as a simple-query
 * message on the request's queue, as {@link auditAndCommit} sends its pair, not through
 * TypeORM's `commitTransaction()` (its transaction and query events, the query's bookkeeping:
 * a fixed cost of every read, issue 10). Logged (and counted) as TypeORM logs it; the runner is
 * left as `commitTransaction()` leaves it once PostgreSQL has answered. A COMMIT that fails throws
 * (the queue marks the transaction aborted) and leaves the runner in its transaction, for
 * `end()` to roll back.
 */
async function commitAlone(runner: QueryRunner, simple: SimpleSender): Promise<boolean> {
  const sent = await simple(() => {
    runner.connection.logger.logQuery('COMMIT', undefined, runner);
    return 'COMMIT';
  });
  if (sent) Object.assign(runner as unknown as { isTransactionActive: boolean; transactionDepth: number }, { isTransactionActive: false, transactionDepth: 0 });
  return sent;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type SimpleSender = (make: (client: SimpleQueryClient) => string | null) => Promise<boolean>;
interface SimpleQueryClient {
  query(text: string): Promise<{ rows: unknown[] }[] | { rows: unknown[] }>;
  /** pg's connection: the named statements it has prepared (name → text). */
  connection?: { parsedStatements?: Record<string, string> };
}

/**
 * The request transaction's BEGIN and its session setup (`selectTenantSession`) sent together, as
 * one simple-query message: one round trip instead of two (issue 10, per-request overhead; every
 * request pays it). Both statements are logged as TypeORM logs them, and the runner is left as
 * `startTransaction()` leaves it. The organization and user ids are written into the text only
 * when they are UUIDs (they come from a verified token); anything else takes the two statements
 * with parameters, as before.
 */
export async function beginTenantSession(runner: QueryRunner, tenant: TenantContext): Promise<ActiveMembership[]> {
  const { organizationId, userId } = tenant;
  if (!UUID.test(organizationId) || !UUID.test(userId ?? '') || runner.isTransactionActive || runner.connection.options.type !== 'postgres' || runner.connection.options.isolationLevel) {
    await runner.startTransaction();
    return selectTenantSession(runner.manager, tenant);
  }
  const begin = 'START TRANSACTION';
  const session = `SELECT member_role, member_clinic_ids FROM fascia_tenant_session('${organizationId}'::uuid, '${userId}'::uuid)`;
  const client = (await (runner as unknown as { connect(): Promise<SimpleQueryClient> }).connect()) as SimpleQueryClient;
  runner.connection.logger.logQuery(begin, undefined, runner);
  runner.connection.logger.logQuery(session, undefined, runner);
  // What runner.startTransaction() records: a transaction at depth 1 (so COMMIT, ROLLBACK and
  // SAVEPOINTs follow), set before sending so that a failure is rolled back by RequestScope.end.
  Object.assign(runner as unknown as { isTransactionActive: boolean; transactionDepth: number }, { isTransactionActive: true, transactionDepth: 1 });
  const results = await client.query(`${begin}; ${session}`);
  const rows = (Array.isArray(results) ? results[1].rows : results.rows) as { member_role: string; member_clinic_ids: string[] }[];
  return rows.map((r) => ({ role: r.member_role, clinicIds: r.member_clinic_ids }));
}

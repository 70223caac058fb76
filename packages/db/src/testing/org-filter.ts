import { loadModule, parsePlPgSQLSync, parseSync } from 'libpg-query';

/**
 * The organization-filter check (issue 16 §1; docs/architecture.md "Every query names its
 * organization"). Every statement that reads a tenant table (one with an `organization_id`
 * column) must say which organization it reads, on that table's own alias:
 * `alias.organization_id = …`, `= ANY(…)` or `IN (…)`; and tenant tables joined in one FROM
 * must have their `organization_id`s equal (directly, or through the same value). Row-level
 * security already limits what a statement sees; this is what a database distributed by
 * organization (Citus) needs to send a statement to one shard, and it keeps a statement
 * correct should RLS ever be off.
 *
 * Statements are parsed with PostgreSQL's own parser (libpg-query, the server's grammar
 * compiled to WebAssembly), not matched with regular expressions. Only the test suites load
 * this module (it is not exported from `@fascia/db/testing`'s index).
 */

export interface OrgFilterViolation {
  sql: string;
  table: string;
  alias: string;
  problem: string;
}

/** A statement allowed to read `table` without naming an organization, and why. */
export interface OrgFilterException {
  table: string;
  /** Matches the statement's text (whitespace collapsed to single spaces). */
  statement: RegExp;
  reason: string;
}

/** Loads the WebAssembly parser; call once before {@link orgFilterViolations}. */
export const loadOrgFilterParser = (): Promise<void> => loadModule();

/** The tables (and views) of `public` that carry an `organization_id` column, read from the live schema. */
export const TENANT_TABLES_SQL = `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1`;

// The parser's JSON tree, walked by node names (its generated types are one union per node kind).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = Record<string, any>;

interface Ref {
  alias: string;
  table: string;
}

interface Scope {
  refs: Ref[];
}

/** One `=` fact: an alias's organization_id equals another alias's, or a value (keyed by its text). */
type Fact = { kind: 'eq'; a: string; b: string } | { kind: 'bind'; a: string; key: string };

const collapse = (sql: string): string => sql.replace(/\s+/g, ' ').trim();

/** A node's text without its positions: the same expression gives the same key. */
const keyOf = (node: unknown): string => JSON.stringify(node, (k, v) => (k === 'location' || k === 'stmt_location' || k === 'stmt_len' ? undefined : v));

const unwrap = (node: Node | undefined): Node | undefined => {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  return n;
};

const opName = (e: Node): string | undefined => e.name?.[0]?.String?.sval;

class Checker {
  readonly violations: OrgFilterViolation[] = [];
  constructor(
    private readonly sql: string,
    private readonly tenant: ReadonlySet<string>,
  ) {}

  statement(node: Node | undefined, ctes: ReadonlySet<string>): void {
    if (!node) return;
    if (node.SelectStmt) this.select(node.SelectStmt, ctes);
    else if (node.UpdateStmt) this.update(node.UpdateStmt, ctes);
    else if (node.DeleteStmt) this.delete(node.DeleteStmt, ctes);
    else if (node.InsertStmt) this.insert(node.InsertStmt, ctes);
    else if (node.ExplainStmt) this.statement(node.ExplainStmt.query, ctes);
  }

  private withCtes(withClause: Node | undefined, ctes: ReadonlySet<string>): ReadonlySet<string> {
    if (!withClause) return ctes;
    const inner = new Set(ctes);
    for (const c of withClause.ctes ?? []) inner.add(c.CommonTableExpr.ctename);
    for (const c of withClause.ctes ?? []) this.statement(c.CommonTableExpr.ctequery, inner);
    return inner;
  }

  private select(s: Node, outer: ReadonlySet<string>): void {
    const ctes = this.withCtes(s.withClause, outer);
    if (s.op && s.op !== 'SETOP_NONE') {
      this.select(s.larg, ctes);
      this.select(s.rarg, ctes);
      return;
    }
    const scope: Scope = { refs: [] };
    const conds: Node[] = [];
    for (const item of s.fromClause ?? []) this.from(item, scope, conds, ctes);
    if (s.whereClause) conds.push(s.whereClause);
    this.check(scope, conds);
    this.sublinks([s.targetList, s.whereClause, s.havingClause, s.valuesLists, s.sortClause, s.groupClause], ctes);
  }

  private update(s: Node, outer: ReadonlySet<string>): void {
    const ctes = this.withCtes(s.withClause, outer);
    const scope: Scope = { refs: [] };
    const conds: Node[] = [];
    this.from({ RangeVar: s.relation }, scope, conds, ctes);
    for (const item of s.fromClause ?? []) this.from(item, scope, conds, ctes);
    if (s.whereClause) conds.push(s.whereClause);
    this.check(scope, conds);
    this.sublinks([s.targetList, s.whereClause, s.returningList], ctes);
  }

  private delete(s: Node, outer: ReadonlySet<string>): void {
    const ctes = this.withCtes(s.withClause, outer);
    const scope: Scope = { refs: [] };
    const conds: Node[] = [];
    this.from({ RangeVar: s.relation }, scope, conds, ctes);
    for (const item of s.usingClause ?? []) this.from(item, scope, conds, ctes);
    if (s.whereClause) conds.push(s.whereClause);
    this.check(scope, conds);
    this.sublinks([s.whereClause, s.returningList], ctes);
  }

  private insert(s: Node, outer: ReadonlySet<string>): void {
    const ctes = this.withCtes(s.withClause, outer);
    // The row written names its organization as a column value (a NOT NULL column): only what
    // it reads (INSERT … SELECT, sub-selects in VALUES or ON CONFLICT) is checked.
    this.statement(s.selectStmt, ctes);
    this.sublinks([s.onConflictClause, s.returningList], ctes);
  }

  private from(item: Node, scope: Scope, conds: Node[], ctes: ReadonlySet<string>): void {
    if (item.RangeVar) {
      const r = item.RangeVar;
      if (r.schemaname && r.schemaname !== 'public') return;
      if (!r.schemaname && ctes.has(r.relname)) return;
      if (this.tenant.has(r.relname)) scope.refs.push({ alias: r.alias?.aliasname ?? r.relname, table: r.relname });
    } else if (item.JoinExpr) {
      const j = item.JoinExpr;
      const before = scope.refs.length;
      this.from(j.larg, scope, conds, ctes);
      const middle = scope.refs.length;
      this.from(j.rarg, scope, conds, ctes);
      if (j.quals) {
        conds.push(j.quals);
        this.sublinks([j.quals], ctes);
      }
      // JOIN … USING (organization_id, …) equates the two sides' columns.
      if ((j.usingClause ?? []).some((u: Node) => u.String?.sval === 'organization_id')) {
        const left = scope.refs.slice(before, middle);
        const right = scope.refs.slice(middle);
        for (const l of left) for (const r of right) conds.push({ __eq: [l.alias, r.alias] });
      }
    } else if (item.RangeSubselect) {
      this.statement(item.RangeSubselect.subquery, ctes);
    } else if (item.RangeFunction) {
      this.sublinks([item.RangeFunction.functions], ctes);
    }
  }

  /** Checks every sub-select found under `nodes` as a statement of its own. */
  private sublinks(nodes: unknown[], ctes: ReadonlySet<string>): void {
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as Node;
        if (o.SubLink) {
          this.statement(o.SubLink.subselect, ctes);
          walk(o.SubLink.testexpr);
          return;
        }
        for (const v of Object.values(o)) walk(v);
      }
    };
    walk(nodes);
  }

  /** The alias whose organization_id `expr` is, if it is one of this scope's tenant tables. */
  private orgAlias(expr: Node | undefined, scope: Scope): string | null {
    const e = unwrap(expr);
    const fields: Node[] | undefined = e?.ColumnRef?.fields;
    if (!fields || fields[fields.length - 1]?.String?.sval !== 'organization_id') return null;
    if (fields.length === 1) return scope.refs.length === 1 ? scope.refs[0].alias : null;
    const alias = fields[fields.length - 2]?.String?.sval as string | undefined;
    return alias && scope.refs.some((r) => r.alias === alias) ? alias : null;
  }

  private facts(cond: Node, scope: Scope): Fact[] {
    if (cond.__eq) return [{ kind: 'eq', a: cond.__eq[0], b: cond.__eq[1] }];
    const b = cond.BoolExpr;
    if (b?.boolop === 'AND_EXPR') return (b.args as Node[]).flatMap((a) => this.facts(a, scope));
    if (b?.boolop === 'OR_EXPR') {
      // What every arm says holds for the whole OR (TypeORM's `where: [{…}, {…}]` repeats the
      // organization in each arm).
      const arms = (b.args as Node[]).map((a) => this.facts(a, scope));
      const out: Fact[] = [];
      for (const ref of scope.refs) {
        const keys = arms.map((fs) => fs.filter((f): f is Extract<Fact, { kind: 'bind' }> => f.kind === 'bind' && f.a === ref.alias).map((f) => f.key).sort()[0]);
        if (keys.every((k) => k !== undefined)) out.push({ kind: 'bind', a: ref.alias, key: new Set(keys).size === 1 ? keys[0] : `or:${keys.join('|')}` });
      }
      for (const f of arms[0] ?? []) if (f.kind === 'eq' && arms.every((fs) => fs.some((g) => g.kind === 'eq' && ((g.a === f.a && g.b === f.b) || (g.a === f.b && g.b === f.a))))) out.push(f);
      return out;
    }
    const e = cond.A_Expr;
    if (e && opName(e) === '=') {
      if (e.kind === 'AEXPR_OP') {
        const l = this.orgAlias(e.lexpr, scope);
        const r = this.orgAlias(e.rexpr, scope);
        if (l && r) return [{ kind: 'eq', a: l, b: r }];
        if (l) return [{ kind: 'bind', a: l, key: keyOf(unwrap(e.rexpr)) }];
        if (r) return [{ kind: 'bind', a: r, key: keyOf(unwrap(e.lexpr)) }];
        // (a.organization_id, a.id) = ($1, $2)
        const lr = unwrap(e.lexpr)?.RowExpr?.args as Node[] | undefined;
        const rr = unwrap(e.rexpr)?.RowExpr?.args as Node[] | undefined;
        if (lr && rr && lr.length === rr.length) return lr.flatMap((x, i) => this.facts({ A_Expr: { kind: 'AEXPR_OP', name: e.name, lexpr: x, rexpr: rr[i] } }, scope));
      }
      if (e.kind === 'AEXPR_OP_ANY' || e.kind === 'AEXPR_IN') {
        const l = this.orgAlias(e.lexpr, scope);
        if (l) return [{ kind: 'bind', a: l, key: `any:${keyOf(e.rexpr)}` }];
      }
    }
    const s = cond.SubLink;
    if (s?.subLinkType === 'ANY_SUBLINK' && (!s.operName || s.operName?.[0]?.String?.sval === '=')) {
      const l = this.orgAlias(s.testexpr, scope);
      if (l) return [{ kind: 'bind', a: l, key: `in:${keyOf(s.subselect)}` }];
    }
    return [];
  }

  private check(scope: Scope, conds: Node[]): void {
    if (scope.refs.length === 0) return;
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let p = parent.get(x) ?? x;
      if (p !== x) parent.set(x, (p = find(p)));
      return p;
    };
    const union = (a: string, b: string) => parent.set(find(a), find(b));
    for (const f of conds.flatMap((c) => this.facts(c, scope))) {
      if (f.kind === 'eq') union(`t:${f.a}`, `t:${f.b}`);
      else union(`t:${f.a}`, `v:${f.key}`);
    }
    const anchored = new Set<string>();
    for (const k of new Set([...parent.keys(), ...parent.values()])) if (k.startsWith('v:')) anchored.add(find(k));
    for (const r of scope.refs) {
      if (!anchored.has(find(`t:${r.alias}`))) {
        this.violations.push({ sql: this.sql, table: r.table, alias: r.alias, problem: `reads ${r.table} (as "${r.alias}") without "${r.alias}".organization_id = … / = ANY(…) / IN (…)` });
      }
    }
    for (let i = 1; i < scope.refs.length; i++) {
      const [a, b] = [scope.refs[0], scope.refs[i]];
      if (find(`t:${a.alias}`) !== find(`t:${b.alias}`)) {
        this.violations.push({ sql: this.sql, table: b.table, alias: b.alias, problem: `joins ${b.table} (as "${b.alias}") to ${a.table} (as "${a.alias}") without equating their organization_id` });
      }
    }
  }
}

const parsed = new Map<string, Node[]>();

/** Every violation of the rule in one SQL text (several statements allowed). Throws on SQL PostgreSQL cannot parse. */
export function orgFilterViolations(sql: string, tenantTables: ReadonlySet<string>): OrgFilterViolation[] {
  let stmts = parsed.get(sql);
  if (!stmts) {
    stmts = (parseSync(sql) as unknown as { stmts: { stmt: Node }[] }).stmts.map((s) => s.stmt);
    parsed.set(sql, stmts);
  }
  const checker = new Checker(collapse(sql), tenantTables);
  for (const s of stmts) checker.statement(s, new Set());
  return checker.violations;
}

/**
 * The statements of a PL/pgSQL or SQL function (`prosrc`, and `pg_get_functiondef` for
 * PL/pgSQL), for checking the functions a
 * request calls: PostgreSQL runs them server-side, so the client never sends their SQL.
 */
export function functionBodyStatements(fn: { language: string; body: string; definition: string }): string[] {
  if (fn.language === 'sql') return [fn.body];
  if (fn.language !== 'plpgsql') return [];
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Node;
      if (typeof o.PLpgSQL_expr?.query === 'string') out.push(o.PLpgSQL_expr.query);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(parsePlPgSQLSync(fn.definition));
  // PL/pgSQL keeps expressions (`x > 0`, `v_org`) as well as statements: only statements are checked.
  return out.filter((q) => /^\s*(WITH|SELECT|INSERT|UPDATE|DELETE)\b/i.test(q));
}

/** The SQL and PL/pgSQL functions of `public`, with their bodies; and which of them are triggers on tables. */
export const FUNCTIONS_SQL = `SELECT p.proname AS name, l.lanname AS language, p.prosrc AS body, pg_get_functiondef(p.oid) AS definition,
    EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgfoid = p.oid AND NOT t.tgisinternal) AS "isTrigger"
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
  WHERE n.nspname = 'public' AND l.lanname IN ('sql', 'plpgsql') AND p.prokind = 'f'`;

export interface DbFunction {
  name: string;
  language: string;
  body: string;
  definition: string;
  isTrigger: boolean;
}

/**
 * The functions the statements run on the server: those they call by name, the triggers of
 * the tables they write (`writes`), and whatever those call in turn.
 */
export function functionsReached(statements: readonly string[], functions: readonly DbFunction[], options: { triggers: boolean }): DbFunction[] {
  const calls = (text: string) => functions.filter((f) => new RegExp(`\\b${f.name}\\s*\\(`).test(text));
  const reached = new Map<string, DbFunction>();
  const queue = [...statements.flatMap(calls), ...(options.triggers ? functions.filter((f) => f.isTrigger) : [])];
  while (queue.length) {
    const f = queue.pop()!;
    if (reached.has(f.name)) continue;
    reached.set(f.name, f);
    queue.push(...calls(f.body));
  }
  return [...reached.values()];
}

/** Violations in the statements of functions, each statement's text prefixed with its function's name (`[fn] …`, what exceptions match). */
export function functionViolations(functions: readonly DbFunction[], tenantTables: ReadonlySet<string>): OrgFilterViolation[] {
  return functions.flatMap((f) =>
    functionBodyStatements(f).flatMap((sql) => orgFilterViolations(sql, tenantTables).map((v) => ({ ...v, sql: `[${f.name}] ${v.sql}` }))),
  );
}

/** Violations that no exception covers. */
export function unexcused(violations: OrgFilterViolation[], exceptions: readonly OrgFilterException[]): OrgFilterViolation[] {
  return violations.filter((v) => !exceptions.some((e) => e.table === v.table && e.statement.test(v.sql)));
}

/** A report a person can act on: each statement once, with what it reads wrongly. */
export function describeViolations(violations: OrgFilterViolation[]): string {
  const bySql = new Map<string, string[]>();
  for (const v of violations) bySql.set(v.sql, [...(bySql.get(v.sql) ?? []), v.problem]);
  return [...bySql].map(([sql, problems]) => `${[...new Set(problems)].map((p) => `- ${p}`).join('\n')}\n  in: ${sql.length > 1500 ? `${sql.slice(0, 1500)}…` : sql}`).join('\n\n');
}

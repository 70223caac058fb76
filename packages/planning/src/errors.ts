/** One problem with the input: a dotted path to the field and what is wrong with it. */
export interface InputIssue {
  /** Dotted path such as `complaints[0].painNow` or `availability`. */
  field: string;
  problem: string;
  /** Machine-readable facts about the problem (e.g. the screening rule that refused it). */
  detail?: Record<string, unknown>;
}

/**
 * Thrown for bad input: never a silently clamped value or a plan built on it.
 * `issues` lists every problem found, not only the first.
 */
export class PlanningInputError extends Error {
  readonly code = 'BAD_USER_INPUT' as const;
  readonly issues: InputIssue[];

  constructor(issues: InputIssue[]) {
    super(
      issues.length === 0
        ? 'Invalid planning input'
        : `Invalid planning input: ${issues.map((i) => `${i.field}: ${i.problem}`).join('; ')}`,
    );
    this.name = 'PlanningInputError';
    this.issues = issues;
    Object.setPrototypeOf(this, PlanningInputError.prototype);
  }
}

/** Collects issues while validating; throws once at the end. */
export class IssueCollector {
  readonly issues: InputIssue[] = [];
  add(field: string, problem: string): void {
    this.issues.push({ field, problem });
  }
  get empty(): boolean {
    return this.issues.length === 0;
  }
  throwIfAny(): void {
    if (this.issues.length > 0) throw new PlanningInputError(this.issues);
  }
}

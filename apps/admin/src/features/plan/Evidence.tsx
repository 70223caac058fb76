const KINDS: Record<string, string> = {
  SEED: 'Clinic guidance',
  TRIAL: 'Study',
  CLINICAL_PRACTICE: 'Clinical practice',
};

export interface EvidenceLike {
  kind: string;
  text: string;
  source?: string | null;
  citation?: string | null;
}

/**
 * The evidence tag beside a number: what kind of evidence backs it, opening to the quote
 * or the study's finding (a <details>, so it is keyboard-usable without script).
 */
export function EvidenceTag({ evidence }: { evidence: EvidenceLike }) {
  const kind = KINDS[evidence.kind] ?? evidence.kind;
  const where = evidence.citation ?? evidence.source;
  return (
    <details className={`evidence evidence--${evidence.kind.toLowerCase().replace(/_/g, '-')}`}>
      <summary>
        <span className="visually-hidden">Evidence: </span>
        {kind}
      </summary>
      <p>{evidence.text}</p>
      {where ? <p className="small muted">{where}</p> : null}
    </details>
  );
}

/** A number with its reason and its evidence tag. */
export function Reasoned({ value, reason, evidence }: { value: string; reason: string; evidence: EvidenceLike }) {
  return (
    <div className="reasoned">
      <span className="reasoned-value">{value}</span>
      <span className="reasoned-reason">{reason}</span>
      <EvidenceTag evidence={evidence} />
    </div>
  );
}

import type { FindingFieldsFragment } from '../../gql/graphql';
import { EvidenceTag } from '../plan/Evidence';
import { OUTCOMES, label } from './intake-model';

/** What screening found, each with its outcome in words: blocked, restricted — or, with none, clear. */
export function Findings({ findings, blocked }: { findings: readonly FindingFieldsFragment[]; blocked: boolean }) {
  if (findings.length === 0) {
    return (
      <div className="screening screening--clear" role="status">
        <strong>Clear.</strong> Screening found nothing that stops or limits treatment.
      </div>
    );
  }
  return (
    <div className={`screening screening--${blocked ? 'blocked' : 'restricted'}`}>
      <p className="screening-lead">
        <strong>{blocked ? 'Blocked.' : 'Restricted.'}</strong>{' '}
        {blocked ? 'Screening found a reason not to treat: no plan can be accepted from this intake.' : 'Treatment may go ahead with the limits below.'}
      </p>
      <ul className="finding-list">
        {findings.map((f, i) => {
          const o = OUTCOMES[f.outcome] ?? { word: 'Note', tone: 'restricted', meaning: '' };
          return (
            <li key={`${f.rule}-${i}`} className={`finding finding--${o.tone}`}>
              <span className={`outcome outcome--${o.tone}`}>{o.word}</span>
              <div>
                <p className="finding-text">{f.finding}</p>
                <p className="small">
                  {o.meaning}
                  {f.referTo ? ` Refer to: ${label(f.referTo)}${f.urgency ? ` (${f.urgency})` : ''}.` : ''}
                  {f.area ? ` Area: ${label(f.area.region)}, ${f.area.side}.` : ''}
                  {f.maxPressure ? ` Pressure no firmer than ${f.maxPressure}.` : ''}
                  {f.excludedTechniques.length ? ` Not: ${f.excludedTechniques.map(label).join(', ')}.` : ''}
                  {f.clearanceFrom ? ` Clearance from: ${label(f.clearanceFrom)}.` : ''}
                </p>
                <EvidenceTag evidence={f.evidence} />
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

import type { Finding } from '../../worker/protocol';

/**
 * What a maintainer would flag in this design, at this step, with the thread's quotes: the
 * review rules over the state then and the events so far, evaluated in the worker (the events
 * stay there); null while it answers.
 */
export function ReviewView({ findings }: { findings: Finding[] | null }) {
  if (findings === null) return <p className="bs-muted">Reviewing…</p>;
  if (findings.length === 0) return <p className="bs-muted" data-testid="review-none">No findings at this step: nothing the review rules flag (docs/review-rules.md).</p>;
  return (
    <ul className="bs-review" aria-label="Review findings">
      {findings.map((f, i) => (
        <li key={`${f.rule}-${f.where}-${i}`} className={`bs-review__item bs-review__item--${f.severity}`} data-testid={`finding-${f.rule}`}>
          <div>
            <span className={`bs-badge bs-review__sev--${f.severity}`}>{f.severity}</span> <strong>{f.title}</strong> <span className="bs-muted">({f.rule})</span>
          </div>
          <div>
            <code>{f.where}</code>: {f.message}
          </div>
          <div className="bs-cite">{f.cite}</div>
          {f.quote && (
            <blockquote className="bs-review__quote">
              “{f.quote.text}” — {f.quote.author}, {f.quote.date}, {f.quote.list}
            </blockquote>
          )}
        </li>
      ))}
    </ul>
  );
}

import type { Outcome } from './outcome';

/**
 * The run's key outcome at this step (outcome.ts), one sentence. Draws only. With `reserve`
 * its room stays when there is no outcome (before the first event), so stepping does not
 * move the graph under it.
 */
export function OutcomeLine({ outcome, testId = 'outcome', reserve = false }: { outcome: Outcome | null; testId?: string; reserve?: boolean }) {
  if (!outcome) return reserve ? <p className="bs-outcome bs-outcome--none" aria-hidden="true" /> : null;
  return (
    <p className={`bs-outcome bs-outcome--${outcome.tone}`} data-testid={testId} data-tone={outcome.tone}>
      <strong>{outcome.headline}</strong> — {outcome.why}
    </p>
  );
}

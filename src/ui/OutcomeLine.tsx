import type { Outcome } from './outcome';

/** The run's key outcome at this step (outcome.ts), one sentence. Draws only. */
export function OutcomeLine({ outcome, testId = 'outcome' }: { outcome: Outcome | null; testId?: string }) {
  if (!outcome) return null;
  return (
    <p className={`bs-outcome bs-outcome--${outcome.tone}`} data-testid={testId} data-tone={outcome.tone}>
      <strong>{outcome.headline}</strong> — {outcome.why}
    </p>
  );
}

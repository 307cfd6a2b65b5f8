// Money as the studio shows it. Jobs cost fractions of a cent (a keyframe is $0.003), so a spend that
// rounds to $0.00 is shown with a third decimal rather than as nothing.
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd < 0.001) return 'under $0.001';
  if (usd < 0.01) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}

/** A weight's share of all the weights, as a percentage for the page ("33.3%"). */
export function shareOf(weight: number, all: readonly { weight: number }[]): string {
  const total = all.reduce((sum, c) => sum + c.weight, 0);
  return percent(total > 0 ? weight / total : 0);
}

export const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;

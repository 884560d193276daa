/**
 * The plots' one scale: linear, from a domain starting at 0 onto a pixel
 * range, with "nice" ticks (1, 2 or 5 times a power of ten).
 */

/** About `count` ticks from 0 to at least `max`, each a round step; [0, 1] when max is 0 or less. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  // Rounded to the step's precision, so 0.30000000000000004 is 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let i = 0; ; i++) {
    const value = Number((i * step).toFixed(digits));
    ticks.push(value);
    if (value >= max) break;
  }
  return ticks;
}

/** Maps [0, domainMax] onto [from, to] linearly; domainMax 0 maps everything to `from`. */
export function linear(domainMax: number, from: number, to: number): (value: number) => number {
  return (value) => (domainMax > 0 ? from + (value / domainMax) * (to - from) : from);
}

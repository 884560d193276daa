/**
 * A horizontal bar chart as server-rendered SVG (no library, no script):
 * works with JS off and prints. It is decorative for assistive technology
 * (aria-hidden): the table beside it carries the same numbers.
 */
export function BarChart({ bars, label }: { bars: { name: string; value: number }[]; label: string }) {
  const rowHeight = 28;
  const labelWidth = 160;
  const barWidth = 260;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = rowHeight * bars.length + 8;
  return (
    <svg
      className="bar-chart"
      viewBox={`0 0 ${labelWidth + barWidth + 48} ${height}`}
      width={labelWidth + barWidth + 48}
      height={height}
      aria-hidden="true"
      data-chart={label}
    >
      {bars.map((bar, i) => {
        const y = i * rowHeight + 4;
        const width = (bar.value / max) * barWidth;
        return (
          <g key={bar.name}>
            <text x={labelWidth - 8} y={y + 17} textAnchor="end">
              {bar.name}
            </text>
            <rect x={labelWidth} y={y + 2} width={width} height={rowHeight - 8} rx={3} />
            <text x={labelWidth + width + 6} y={y + 17}>
              {bar.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

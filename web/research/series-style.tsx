/**
 * How the plots tell their series (the conditions) apart without relying on
 * colour: each series has a colour, a marker shape, a line dash and a bar
 * fill pattern, and the legend shows all of them next to the series' name.
 * The colours are dark enough for 3:1 against white and stay apart for
 * the common colour-vision deficiencies; in black-and-white print the
 * shapes, dashes and patterns remain.
 */

export type SeriesStyle = {
  color: string;
  marker: "circle" | "square" | "triangle" | "diamond" | "cross";
  /** stroke-dasharray; "" for a solid line. */
  dash: string;
  pattern: "solid" | "diagonal" | "dots" | "crosshatch" | "horizontal";
};

const STYLES: readonly SeriesStyle[] = [
  { color: "#0b5fa5", marker: "circle", dash: "", pattern: "solid" },
  { color: "#b34700", marker: "square", dash: "7 4", pattern: "diagonal" },
  { color: "#007a5a", marker: "triangle", dash: "2 3", pattern: "dots" },
  { color: "#9c3d86", marker: "diamond", dash: "9 3 2 3", pattern: "crosshatch" },
  { color: "#3d3d3d", marker: "cross", dash: "4 2", pattern: "horizontal" },
];

/** The style of the series at `index`; past the fifth they repeat (the table and legend still name each). */
export const seriesStyle = (index: number): SeriesStyle => STYLES[index % STYLES.length] as SeriesStyle;

/** A marker of `size` px centred on (x, y). */
export function Marker({
  style,
  x,
  y,
  size = 9,
}: {
  style: SeriesStyle;
  x: number;
  y: number;
  size?: number;
}) {
  const h = size / 2;
  const common = { fill: style.color, stroke: "#fff", strokeWidth: 1 };
  switch (style.marker) {
    case "circle":
      return <circle cx={x} cy={y} r={h} {...common} />;
    case "square":
      return <rect x={x - h} y={y - h} width={size} height={size} {...common} />;
    case "triangle":
      return <polygon points={`${x},${y - h - 1} ${x + h + 1},${y + h} ${x - h - 1},${y + h}`} {...common} />;
    case "diamond":
      return (
        <polygon
          points={`${x},${y - h - 1} ${x + h + 1},${y} ${x},${y + h + 1} ${x - h - 1},${y}`}
          {...common}
        />
      );
    case "cross":
      return (
        <path
          d={`M${x - h},${y - h}L${x + h},${y + h}M${x - h},${y + h}L${x + h},${y - h}`}
          stroke={style.color}
          strokeWidth={2.5}
        />
      );
  }
}

/** A <pattern> with the series' fill, for `fill="url(#id)"`; ids must be unique on the page. */
export function FillPattern({ id, style }: { id: string; style: SeriesStyle }) {
  const c = style.color;
  return (
    <pattern id={id} width={6} height={6} patternUnits="userSpaceOnUse">
      {style.pattern === "solid" ? (
        <rect width={6} height={6} fill={c} />
      ) : (
        <rect width={6} height={6} fill="#fff" />
      )}
      {style.pattern === "diagonal" ? (
        <path d="M-1,1L1,-1M0,6L6,0M5,7L7,5" stroke={c} strokeWidth={1.6} />
      ) : null}
      {style.pattern === "dots" ? <circle cx={3} cy={3} r={1.5} fill={c} /> : null}
      {style.pattern === "crosshatch" ? <path d="M0,0L6,6M6,0L0,6" stroke={c} strokeWidth={1.2} /> : null}
      {style.pattern === "horizontal" ? <path d="M0,1.5H6M0,4.5H6" stroke={c} strokeWidth={1.4} /> : null}
    </pattern>
  );
}

/**
 * The legend, as an HTML list so it wraps at any width: each series' name
 * after a swatch of its line and marker (`kind` "line") or its bar fill.
 * The swatches are decorative; the names carry the meaning.
 */
export function Legend({ id, names, kind }: { id: string; names: string[]; kind: "line" | "bar" }) {
  return (
    <ul className="plot-legend">
      {names.map((name, i) => {
        const style = seriesStyle(i);
        const patternId = `${id}-legend-${i}`;
        return (
          <li key={name}>
            <svg width={28} height={14} viewBox="0 0 28 14" aria-hidden="true" focusable="false">
              {kind === "line" ? (
                <>
                  <line
                    x1={1}
                    y1={7}
                    x2={27}
                    y2={7}
                    stroke={style.color}
                    strokeWidth={2}
                    strokeDasharray={style.dash}
                  />
                  <Marker style={style} x={14} y={7} />
                </>
              ) : (
                <>
                  <defs>
                    <FillPattern id={patternId} style={style} />
                  </defs>
                  <rect x={1} y={1} width={26} height={12} fill={`url(#${patternId})`} stroke={style.color} />
                </>
              )}
            </svg>
            <code>{name}</code>
          </li>
        );
      })}
    </ul>
  );
}

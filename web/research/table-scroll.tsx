import type { ReactNode } from "react";

/**
 * A table that scrolls sideways on its own when it is wider than the
 * screen (a phone), so the page itself never does. The region is reachable
 * by keyboard and named, by its table's caption (labelledBy) or a label.
 */
export function TableScroll({
  labelledBy,
  label,
  children,
}: {
  labelledBy?: string;
  label?: string;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard (WCAG 2.1.1).
    <section className="table-scroll" aria-labelledby={labelledBy} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

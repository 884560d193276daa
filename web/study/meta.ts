import type { MetaFunction } from "@remix-run/react";

/** A study's pages carry its title in the browser tab. */
export const studyMeta: MetaFunction = ({ data }) => [
  { title: (data as { title?: string } | undefined)?.title ?? "Study" },
];

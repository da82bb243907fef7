"use client";

import dynamic from "next/dynamic";

/** recharts is large: only head office's results page loads it, after the tables are on screen. */
export const LazyKpiChart = dynamic(() => import("./kpi-chart"), {
  ssr: false,
  loading: () => <p className="flex h-72 items-center justify-center text-stone-600">Loading chart…</p>,
});

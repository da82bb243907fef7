"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { KpiRow } from "@/lib/suggest/kpis";

// Long rule names would run past a portrait screen's edge; the table below names them in full.
const shortLabel = (label: string) => (label.length > 16 ? `${label.slice(0, 15)}…` : label);

export default function KpiChart({ rows }: { rows: KpiRow[] }) {
  return (
    <div className="h-72 w-full" role="img" aria-label="Shown, accepted and converted suggestions per rule">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval={0} tickFormatter={shortLabel} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="shown" name="Shown" fill="#a8a29e" />
          <Bar dataKey="accepted" name="Accepted" fill="#047857" />
          <Bar dataKey="converted" name="Bought later" fill="#1d4ed8" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

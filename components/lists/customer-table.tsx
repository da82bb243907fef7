"use client";

import Link from "next/link";
import { type ReactNode, createContext, useContext, useState } from "react";
import { formatDate, formatMoney } from "../ui/format";
import { buttonClass } from "../ui/button";
import { TableHead } from "@/components/ui/table-head";

export type CustomerTableRow = {
  profileId: number;
  name: string;
  tier: string | null;
  lastPurchaseAt: number | null;
  orderCount: number;
  spend: number;
  consents: { email: boolean; sms: boolean; post: boolean };
  associate: string | null;
};

type Selection = { profileIds: number[]; clear: () => void };
const SelectedCustomers = createContext<Selection>({ profileIds: [], clear: () => {} });

/** For actions mounted in the list's toolbar (assign, follow-up): the profile IDs ticked on this page. */
export function useSelectedCustomers(): Selection {
  return useContext(SelectedCustomers);
}

const CONSENT_SHORT = { email: "Email", sms: "SMS", post: "Post" } as const;

/**
 * The customers of one list page with a checkbox per row and one for the page. `children` are
 * toolbar actions; they read the selection with useSelectedCustomers.
 */
export function CustomerTable({ rows, exportHref, children }: { rows: CustomerTableRow[]; exportHref: string; children?: ReactNode }) {
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const ids = rows.map((r) => r.profileId).filter((id) => selected.has(id));
  const allOnPage = rows.length > 0 && ids.length === rows.length;
  const toggle = (id: number) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const selection: Selection = { profileIds: ids, clear: () => setSelected(new Set()) };
  return (
    <SelectedCustomers.Provider value={selection}>
      <div role="toolbar" aria-label="List actions" className="flex flex-wrap items-center gap-2 rounded-2xl bg-white p-3 ring-1 ring-stone-200">
        <p role="status" className="mr-auto text-sm font-semibold text-stone-700">
          {ids.length === 0 ? "No customers selected" : `${ids.length} selected`}
        </p>
        {children}
        <a href={exportHref} download className={buttonClass("secondary", "text-sm")}>
          Export CSV
        </a>
      </div>
      <div className="overflow-x-auto rounded-2xl bg-white ring-1 ring-stone-200">
        <table className="w-full text-left text-sm">
          <TableHead
            className="border-b border-stone-200 text-stone-600"
            cellClassName="px-2 py-2"
            leading={
              <th scope="col" className="w-12 p-0">
                <label className="flex min-h-11 min-w-11 items-center justify-center">
                  <span className="sr-only">Select all on this page</span>
                  <input
                    type="checkbox"
                    className="size-5"
                    checked={allOnPage}
                    disabled={rows.length === 0}
                    onChange={() => setSelected(allOnPage ? new Set() : new Set(rows.map((r) => r.profileId)))}
                  />
                </label>
              </th>
            }
            columns={[
              <>
                Customer<span className="font-normal min-[900px]:hidden"> and consent</span>
              </>,
              "Last purchase here",
              { label: "Orders", className: "px-2 py-2 text-right" },
              { label: "Spend here", className: "px-2 py-2 text-right" },
              { label: "Consent", className: "hidden px-2 py-2 min-[900px]:table-cell" },
              "Associate",
            ]}
          />
          <tbody>
            {rows.map((r) => (
              <tr key={r.profileId} className="border-b border-stone-100 last:border-0">
                <td className="p-0">
                  <label className="flex min-h-11 min-w-11 items-center justify-center">
                    <span className="sr-only">Select {r.name}</span>
                    <input type="checkbox" className="size-5" checked={selected.has(r.profileId)} onChange={() => toggle(r.profileId)} />
                  </label>
                </td>
                <td className="px-2 py-1">
                  <Link
                    href={`/customers/${r.profileId}`}
                    className="flex min-h-11 flex-col justify-center font-semibold text-brand-800 underline-offset-4 hover:underline"
                  >
                    {r.name}
                    {r.tier && <span className="text-xs font-normal text-stone-600">{r.tier}</span>}
                  </Link>
                  <p className="pb-1 text-xs text-stone-600 min-[900px]:hidden">Consent: {consentText(r.consents)}</p>
                </td>
                <td className="px-2 py-1">{r.lastPurchaseAt ? formatDate(r.lastPurchaseAt) : "—"}</td>
                <td className="px-2 py-1 text-right tabular-nums">{r.orderCount}</td>
                <td className="px-2 py-1 text-right tabular-nums">{formatMoney(r.spend)}</td>
                <td className="hidden px-2 py-1 text-stone-700 min-[900px]:table-cell">{consentText(r.consents)}</td>
                <td className="px-2 py-1">{r.associate ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </SelectedCustomers.Provider>
  );
}

/** On a portrait tablet consent sits under the name instead of in its own column. */
function consentText(consents: Partial<Record<keyof typeof CONSENT_SHORT, boolean>>): string {
  return (
    (Object.keys(CONSENT_SHORT) as (keyof typeof CONSENT_SHORT)[])
      .filter((c) => consents[c])
      .map((c) => CONSENT_SHORT[c])
      .join(", ") || "None"
  );
}

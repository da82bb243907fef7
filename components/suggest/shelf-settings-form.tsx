"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { setShelfSettingsAction } from "@/lib/actions/suggest";
import type { ShelfSettings } from "@/lib/suggest/settings";
import { SaveBar } from "../ui/save-bar";
import { inputClass } from "../ui/field";
import { unwrap } from "../ui/unwrap";
import { Choices } from "@/components/ui/choices";
import { TableHead, RowHead } from "@/components/ui/table-head";

type Feed = ShelfSettings["stockFeed"];
const FEEDS: { value: Feed; label: string }[] = [
  { value: "auto", label: "Yes if we have stock figures for it" },
  { value: "yes", label: "Yes" },
  { value: "no", label: "No: cards say check stock" },
];

/** Chain-wide stock settings for suggestions, and per store where a store differs. */
export function ShelfSettingsForm({ settings, stores }: { settings: ShelfSettings; stores: { code: string; name: string }[] }) {
  const router = useRouter();
  const [chain, setChain] = useState({ stockFeed: settings.stockFeed, orderForDelivery: settings.orderForDelivery });
  const [own, setOwn] = useState(settings.stores);
  const save = useMutation({
    mutationFn: () => unwrap(setShelfSettingsAction({ ...chain, stores: own })),
    onSuccess: () => router.refresh(),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const setStore = (code: string, change: { stockFeed?: Feed | undefined; orderForDelivery?: boolean | undefined }) =>
    setOwn((s) => {
      const next = { ...s[code], ...change };
      const { [code]: _old, ...rest } = s;
      const kept = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
      return Object.keys(kept).length ? { ...rest, [code]: kept } : rest;
    });
  return (
    <form onSubmit={onSubmit} aria-label="Stock on the cards" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1 text-sm font-semibold">
          Stores send stock figures
          <select value={chain.stockFeed} onChange={(e) => setChain((c) => ({ ...c, stockFeed: e.target.value as Feed }))} className={inputClass}>
            <Choices of={FEEDS} />
          </select>
        </label>
        <label className="flex min-h-11 items-center gap-2 text-sm font-semibold">
          <input
            type="checkbox"
            checked={chain.orderForDelivery}
            onChange={(e) => setChain((c) => ({ ...c, orderForDelivery: e.target.checked }))}
            className="size-5"
          />
          Offer items out of stock here for delivery from another store
        </label>
      </div>
      {stores.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full text-left">
            <caption className="sr-only">Stores that differ from the chain</caption>
            <TableHead
              className="text-sm text-stone-600"
              cellClassName="px-2 py-2"
              columns={[{ label: "Store", className: "py-2 pr-3" }, "Stock figures", "Order for delivery"]}
            />
            <tbody>
              {stores.map((s) => (
                <tr key={s.code} className="border-t border-stone-100">
                  <RowHead>{s.name}</RowHead>
                  <td className="px-2 py-2">
                    <select
                      aria-label={`Stock figures at ${s.name}`}
                      value={own[s.code]?.stockFeed ?? ""}
                      onChange={(e) => setStore(s.code, { stockFeed: e.target.value === "" ? undefined : (e.target.value as Feed) })}
                      className={inputClass}
                    >
                      <option value="">As the chain</option>
                      <Choices of={FEEDS} />
                    </select>
                  </td>
                  <td className="px-2 py-2">
                    <select
                      aria-label={`Order for delivery at ${s.name}`}
                      value={own[s.code]?.orderForDelivery === undefined ? "" : own[s.code]?.orderForDelivery ? "on" : "off"}
                      onChange={(e) => setStore(s.code, { orderForDelivery: e.target.value === "" ? undefined : e.target.value === "on" })}
                      className={inputClass}
                    >
                      <option value="">As the chain</option>
                      <option value="on">On</option>
                      <option value="off">Off</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <SaveBar
        label="Save"
        variant="secondary"
        pending={save.isPending}
        saved={save.isSuccess && "Saved. Tablets use it from the next customer they open."}
        error={save.error}
      />
    </form>
  );
}

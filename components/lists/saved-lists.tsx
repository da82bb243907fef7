"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteCustomerListAction, saveCustomerListAction } from "@/lib/actions/lists";
import { unwrap } from "../ui/unwrap";
import { TextEntryForm } from "@/components/ui/text-entry";

type Saved = { id: number; name: string; href: string };

/** The store's saved lists as links, and a form to save the filter on screen under a name. */
export function SavedLists({ lists, store, query }: { lists: Saved[]; store: number | undefined; query: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const save = useMutation({
    mutationFn: () => unwrap(saveCustomerListAction({ store, name, query })),
    onSuccess: () => (setName(""), router.refresh()),
  });
  const remove = useMutation({ mutationFn: (id: number) => unwrap(deleteCustomerListAction({ store, id })), onSuccess: () => router.refresh() });
  return (
    <section aria-labelledby="saved-heading" className="flex flex-col gap-2 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
      <h2 id="saved-heading" className="font-semibold">
        Saved lists
      </h2>
      {lists.length === 0 ? (
        <p className="text-sm text-stone-600">None yet. Set the filters, then save them here to come back to the same list.</p>
      ) : (
        <ul className="flex flex-wrap gap-2">
          {lists.map((l) => (
            <li key={l.id} className="flex items-center rounded-xl bg-stone-100">
              <Link href={l.href} className="flex min-h-11 items-center px-3 font-semibold text-brand-800 underline-offset-4 hover:underline">
                {l.name}
              </Link>
              <button
                type="button"
                aria-label={`Delete saved list ${l.name}`}
                disabled={remove.isPending}
                onClick={() => remove.mutate(l.id)}
                className="min-h-11 min-w-11 rounded-xl text-stone-600 hover:bg-stone-200"
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <TextEntryForm
        onSubmit={() => save.mutate()}
        formClassName="flex flex-wrap items-center gap-2"
        submitLabel="Save list"
        pending={save.isPending}
        id="saved-list-name"
        label="Save this list as"
        value={name}
        onValue={setName}
        maxLength={60}
        className="min-h-11 w-56 rounded-xl border border-stone-300 px-3"
      >
        <span role="status" className={`text-sm ${save.isError || remove.isError ? "text-red-800" : "text-emerald-800"}`}>
          {save.isError ? save.error.message : remove.isError ? remove.error.message : save.isSuccess ? `Saved “${save.data.name}”.` : ""}
        </span>
      </TextEntryForm>
    </section>
  );
}

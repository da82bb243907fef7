"use client";

import { type FormEvent, useState } from "react";
import { useOutboxMutation } from "@/components/offline/outbox";
import { addTagAction, removeTagAction, setPreferenceAction } from "@/lib/actions/profile";
import type { PreferenceView } from "@/lib/customers/clienteling";
import { Button } from "../ui/button";
import { unwrap } from "../ui/unwrap";
import { Choices } from "@/components/ui/choices";
import { Panel } from "@/components/ui/panel";
import { inputClass } from "@/components/ui/field";
import { TextEntryForm } from "@/components/ui/text-entry";

export function PreferencesPanel({
  profileId,
  grant,
  categories,
  initialPreferences,
  initialTags,
}: {
  profileId: number;
  grant: string | null;
  categories: string[];
  initialPreferences: PreferenceView[];
  initialTags: string[];
}) {
  const [prefs, setPrefs] = useState(initialPreferences);
  const [tags, setTags] = useState(initialTags);
  const [category, setCategory] = useState(categories[0] ?? "");
  const [size, setSize] = useState("");
  const [tag, setTag] = useState("");
  const savePref = useOutboxMutation({
    key: `size:${profileId}`,
    describe: (v: { category: string; size: string }) => `The size ${v.size || "(cleared)"} for ${v.category}`,
    preview: (v) => `${v.category}: ${v.size || "cleared"}`,
    send: (v) => unwrap(setPreferenceAction({ profileId, grant, ...v, note: "" })),
    onSaved: (p) => {
      setPrefs((all) =>
        [...all.filter((x) => x.category !== p.category), ...(p.size ? [{ ...p, updatedAt: Date.now() }] : [])].sort((a, b) =>
          a.category.localeCompare(b.category),
        ),
      );
      setSize("");
    },
    onQueued: () => setSize(""),
  });
  const addTag = useOutboxMutation({
    key: `tag-add:${profileId}`,
    describe: (t: string) => `The tag “${t}”`,
    preview: (t) => t,
    send: (t) => unwrap(addTagAction({ profileId, grant, tag: t })),
    onSaved: (t) => (setTags((all) => [...new Set([...all, t])].sort()), setTag("")),
    onQueued: () => setTag(""),
  });
  const dropTag = useOutboxMutation({
    key: `tag-remove:${profileId}`,
    describe: (t: string) => `Removing the tag “${t}”`,
    preview: (t) => t,
    send: (t) => unwrap(removeTagAction({ profileId, grant, tag: t })),
    onSaved: (t) => setTags((all) => all.filter((x) => x !== t)),
  });
  const removing = new Set(dropTag.queued.map((w) => w.preview));
  const onPref = (e: FormEvent) => (e.preventDefault(), savePref.mutate({ category, size }));
  return (
    <Panel headingId="prefs-heading" title="Sizes and tags">
      {prefs.length === 0 ? (
        <p className="mt-2 text-stone-600">No sizes recorded.</p>
      ) : (
        <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1" aria-label="Sizes">
          {prefs.map((p) => (
            <div key={p.category} className="flex justify-between gap-2 border-b border-stone-100 py-1">
              <dt className="text-stone-600">{p.category}</dt>
              <dd className="font-semibold">{p.size}</dd>
            </div>
          ))}
        </dl>
      )}
      {savePref.queued.length > 0 && (
        <p className="mt-2 text-sm font-semibold text-amber-950" data-testid="queued-sizes">
          {savePref.queued.map((w) => w.preview).join(", ")}: will save when back online
        </p>
      )}
      <form onSubmit={onPref} className="mt-3 flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-sm">
          Category
          <select value={category} onChange={(e) => setCategory(e.target.value)} className={inputClass}>
            <Choices of={categories} />
          </select>
        </label>
        <label className="flex flex-col text-sm">
          Size
          <input value={size} onChange={(e) => setSize(e.target.value)} maxLength={10} className="min-h-11 w-24 rounded-xl border border-stone-300 px-3" />
        </label>
        <Button type="submit" variant="secondary" disabled={savePref.isPending || category === ""}>
          Save size
        </Button>
      </form>
      {savePref.isError && <p className="mt-1 text-sm text-red-800">{savePref.error.message}</p>}
      <ul className="mt-4 flex flex-wrap gap-2" aria-label="Tags">
        {tags.map((t) =>
          removing.has(t) ? (
            <li key={t} className="flex min-h-11 items-center rounded-full bg-amber-50 px-3 text-amber-950 line-through ring-1 ring-amber-200">
              {t}
              <span className="sr-only"> (removal will save when back online)</span>
            </li>
          ) : (
            <li key={t} className="flex items-center rounded-full bg-brand-50 pl-3 text-brand-800 ring-1 ring-brand-100">
              {t}
              <button type="button" onClick={() => dropTag.mutate(t)} aria-label={`Remove tag ${t}`} className="min-h-11 min-w-11 rounded-full font-bold">
                ×
              </button>
            </li>
          ),
        )}
        {addTag.queued.map((w) => (
          <li key={w.id} className="flex min-h-11 items-center rounded-full bg-amber-50 px-3 text-amber-950 ring-1 ring-amber-200" data-testid="queued-tag">
            {w.preview} · will save when back online
          </li>
        ))}
      </ul>
      <TextEntryForm
        onSubmit={() => addTag.mutate(tag.trim())}
        formClassName="mt-2 flex gap-2"
        submitLabel="Add"
        pending={addTag.isPending}
        id="new-tag"
        label="New tag"
        hideLabel
        value={tag}
        onValue={setTag}
        maxLength={30}
        placeholder="Add a tag, e.g. VIP"
        className="min-h-11 flex-1 rounded-xl border border-stone-300 px-3"
      />
      {(addTag.isError || dropTag.isError) && <p className="mt-1 text-sm text-red-800">{(addTag.error ?? dropTag.error)?.message}</p>}
    </Panel>
  );
}

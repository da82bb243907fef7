"use client";

import { useState } from "react";
import { type QueuedWrite, useOutboxMutation } from "@/components/offline/outbox";
import { addNoteAction, editNoteAction } from "@/lib/actions/profile";
import type { NoteView } from "@/lib/customers/clienteling";
import { Button } from "../ui/button";
import { formatDate } from "../ui/format";
import { unwrap } from "../ui/unwrap";
import { Panel } from "@/components/ui/panel";
import { TextEntryForm } from "@/components/ui/text-entry";

export function NotesPanel({ profileId, grant, staffId, initial }: { profileId: number; grant: string | null; staffId: number; initial: NoteView[] }) {
  const [notes, setNotes] = useState(initial);
  const [draft, setDraft] = useState("");
  const add = useOutboxMutation({
    key: `note:${profileId}`,
    describe: (body: string) => `The note “${shorten(body)}”`,
    preview: (body: string) => body,
    send: (body: string) => unwrap(addNoteAction({ profileId, grant, body })),
    onSaved: (note, body) => {
      setNotes((n) => [note, ...n]);
      setDraft((d) => (d === body ? "" : d));
    },
    onQueued: () => setDraft(""),
  });
  return (
    <Panel headingId="notes-heading" title="Notes">
      <TextEntryForm
        onSubmit={() => add.mutate(draft)}
        formClassName="mt-3 flex flex-col gap-2"
        submitLabel={add.isPending ? "Saving…" : "Add note"}
        pending={add.isPending}
        buttonClassName="self-end"
        beforeSubmit={add.isError && <p className="text-sm text-red-800">{add.error.message}</p>}
        id="new-note"
        label="New note"
        hideLabel
        value={draft}
        onValue={setDraft}
        rows={2}
        maxLength={2000}
        placeholder="What did the customer tell you?"
        className="rounded-xl border border-stone-300 p-3"
      />
      {add.queued.length > 0 && (
        <ul className="mt-3 flex flex-col gap-3" aria-label="Notes waiting for the network">
          {add.queued.map((w) => (
            <QueuedItem key={w.id} write={w} />
          ))}
        </ul>
      )}
      {notes.length === 0 && add.queued.length === 0 ? (
        <p className="mt-3 text-stone-600">No notes yet.</p>
      ) : (
        <ul className="mt-3 flex flex-col gap-3">
          {notes.map((note) => (
            <NoteItem
              key={note.id}
              note={note}
              grant={grant}
              mine={note.authorId === staffId}
              onSaved={(n) => setNotes((all) => all.map((x) => (x.id === n.id ? n : x)))}
            />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function QueuedItem({ write }: { write: QueuedWrite }) {
  return (
    <li className="rounded-2xl bg-amber-50 p-3 ring-1 ring-amber-200" data-testid="queued-note">
      <p className="whitespace-pre-wrap">{write.preview}</p>
      <p className="mt-1 text-sm font-semibold text-amber-950">Will save when back online</p>
    </li>
  );
}

function NoteItem({ note, grant, mine, onSaved }: { note: NoteView; grant: string | null; mine: boolean; onSaved: (n: NoteView) => void }) {
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(note.body);
  const save = useOutboxMutation({
    key: `note-edit:${note.id}`,
    describe: (text: string) => `The change to the note “${shorten(text)}”`,
    preview: (text: string) => text,
    send: (text: string) => unwrap(editNoteAction({ noteId: note.id, grant, body: text })),
    onSaved: (n) => {
      onSaved(n);
      setEditing(false);
    },
    onQueued: () => setEditing(false),
  });
  const waiting = save.queued.at(-1);
  return (
    <li className="rounded-2xl bg-stone-50 p-3" data-testid="note">
      {editing ? (
        <div className="flex flex-col gap-2">
          <label htmlFor={`note-${note.id}`} className="sr-only">
            Edit note
          </label>
          <textarea
            id={`note-${note.id}`}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            rows={2}
            maxLength={2000}
            className="rounded-xl border border-stone-300 p-2"
          />
          {save.isError && <p className="text-sm text-red-800">{save.error.message}</p>}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="ghost" onClick={() => (setEditing(false), setBody(note.body))}>
              Cancel
            </Button>
            <Button type="button" onClick={() => save.mutate(body)} disabled={save.isPending || body.trim() === ""}>
              Save
            </Button>
          </div>
        </div>
      ) : waiting ? (
        <>
          <p className="whitespace-pre-wrap">{waiting.preview}</p>
          <p className="text-sm font-semibold text-amber-950">Change will save when back online</p>
        </>
      ) : (
        <p className="whitespace-pre-wrap">{note.body}</p>
      )}
      <p className="mt-1 flex items-center justify-between text-sm text-stone-600">
        <span>
          {note.author}
          {note.store ? `, ${note.store}` : ""} · {formatDate(note.createdAt)}
          {note.updatedAt !== note.createdAt ? " (edited)" : ""}
        </span>
        {mine && !editing && (
          <button type="button" onClick={() => setEditing(true)} className="min-h-11 px-3 font-semibold text-brand-700">
            Edit
          </button>
        )}
      </p>
    </li>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { isNetworkError, isOnline, setOnline } from "./network";

/**
 * Writes made while the network is down wait here, in memory only (never in browser storage), and
 * are sent in the order they were made once it is back. Locking the tablet drops them: the lock
 * says how many were lost, never what they were.
 */
export type QueuedWrite = { id: number; key: string; what: string; preview: string; send: () => Promise<unknown> };
type Failed = { id: number; what: string; message: string };
type State = { pending: QueuedWrite[]; failed: Failed[]; sending: boolean };

let state: State = { pending: [], failed: [], sending: false };
let nextId = 1;
const listeners = new Set<() => void>();

function update(next: Partial<State>) {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const EMPTY: State = { pending: [], failed: [], sending: false };

export function useOutbox(): State {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => EMPTY,
  );
}

export function enqueue(write: Omit<QueuedWrite, "id">): void {
  update({ pending: [...state.pending, { ...write, id: nextId++ }] });
}

/** Empties the outbox without sending anything; returns how many writes were lost. */
export function dropAll(): number {
  const lost = state.pending.length;
  update({ pending: [], failed: [] });
  return lost;
}

export function dismissFailed(id: number): void {
  update({ failed: state.failed.filter((f) => f.id !== id) });
}

/** Sends queued writes one at a time, oldest first; stops at the first one the network swallows. */
export async function flush(): Promise<void> {
  if (state.sending || state.pending.length === 0) return;
  update({ sending: true });
  try {
    while (state.pending.length > 0) {
      const [write] = state.pending;
      try {
        await write.send();
      } catch (error) {
        if (isNetworkError(error)) {
          setOnline(false);
          return;
        }
        update({ failed: [...state.failed, { id: write.id, what: write.what, message: error instanceof Error ? error.message : "It could not be saved." }] });
      }
      update({ pending: state.pending.filter((w) => w.id !== write.id) });
    }
  } finally {
    update({ sending: false });
  }
}

const QUEUED: unique symbol = Symbol("queued");

/** Sends now, or queues `write` when there is no network, before the request or because it never arrived. */
export async function sendOrQueue<R>(send: () => Promise<R>, write: Omit<QueuedWrite, "id">): Promise<R | typeof QUEUED> {
  if (!isOnline()) return (enqueue(write), QUEUED);
  try {
    return await send();
  } catch (error) {
    if (!isNetworkError(error)) throw error;
    setOnline(false);
    return (enqueue(write), QUEUED);
  }
}

/**
 * A mutation that, without a network, queues itself instead of failing: `key` groups the writes a
 * panel shows as "will save when back online" (by `preview`), `describe` names one if it fails later.
 */
export function useOutboxMutation<V, R>({
  key,
  describe,
  preview = describe,
  send,
  onSaved,
  onQueued,
}: {
  key: string;
  describe: (v: V) => string;
  preview?: (v: V) => string;
  send: (v: V) => Promise<R>;
  onSaved: (result: R, v: V) => void;
  onQueued?: (v: V) => void;
}) {
  const mutation = useMutation({
    mutationFn: (v: V) => sendOrQueue(() => send(v), { key, what: describe(v), preview: preview(v), send: async () => onSaved(await send(v), v) }),
    onSuccess: (result, v) => (result === QUEUED ? onQueued?.(v) : onSaved(result, v)),
  });
  const queued = useOutbox().pending.filter((w) => w.key === key);
  return { ...mutation, queued };
}

"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";
import { Button } from "./button";

/**
 * The second step of an action that cannot be taken back on the page (merge, unmerge, "not the same
 * person"): the question, what the action will do, then its own button and Cancel, which Escape
 * presses too. It replaces the button that opened it and takes the focus, so a screen reader reads
 * the question and a second Enter does nothing; the question line above the buttons moves them
 * away from where that button was, out of a double tap's way. On Cancel the focus goes back to the
 * opening button (`returnFocusTo`, its id), drawn again by then.
 */
export function ConfirmStep({
  question,
  confirm,
  onConfirm,
  onCancel,
  busy = false,
  returnFocusTo,
  className = "",
  children,
}: {
  /** Shown first, and the group's accessible name. */
  question: string;
  /** The confirm button's text. */
  confirm: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  returnFocusTo?: string;
  className?: string;
  /** What the action will do. */
  children: ReactNode;
}) {
  const questionId = useId();
  const group = useRef<HTMLDivElement>(null);
  const cancelled = useRef(false);
  useEffect(() => {
    cancelled.current = false;
    group.current?.focus();
    // Runs once this step is gone from the page and the opening button is back.
    return () => {
      if (cancelled.current && returnFocusTo) document.getElementById(returnFocusTo)?.focus();
    };
  }, [returnFocusTo]);
  const cancel = () => {
    cancelled.current = true;
    onCancel();
  };
  return (
    <div
      ref={group}
      role="group"
      aria-labelledby={questionId}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !busy) {
          e.stopPropagation();
          cancel();
        }
      }}
      className={`flex flex-col gap-3 ${className}`.trim()}
    >
      <p id={questionId} className="font-semibold">
        {question}
      </p>
      {children}
      <div className="flex flex-wrap gap-2">
        <Button type="button" disabled={busy} onClick={onConfirm}>
          {confirm}
        </Button>
        <Button type="button" variant="secondary" disabled={busy} onClick={cancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

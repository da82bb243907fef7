"use client";

import { type ReactNode, useEffect, useState } from "react";

/**
 * Shows `fallback` until the frame it first appeared in has been painted, then its children. For
 * parts of a page nobody needs in its first frame: rendering them in the same frame as what the
 * user came for (a customer's name and purchases) only delays that frame.
 */
export function AfterPaint({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A frame's callbacks run just before it is painted; a task queued from one runs after it.
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setPainted(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return painted ? children : fallback;
}

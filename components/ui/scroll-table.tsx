"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";

/**
 * A wide table on a narrow screen scrolls sideways inside its box, never the page, and says so:
 * a fade and "Scroll sideways for more" while columns are out of sight to the right.
 */
export function ScrollTable({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [hiddenRight, setHiddenRight] = useState(false);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => setHiddenRight(box.scrollLeft + box.clientWidth < box.scrollWidth - 2);
    measure();
    box.addEventListener("scroll", measure, { passive: true });
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => {
      box.removeEventListener("scroll", measure);
      observer.disconnect();
    };
  }, []);
  return (
    <div className={`relative ${className}`}>
      {/* Focusable so a keyboard can scroll it too. */}
      <div ref={ref} role="region" aria-label={label} tabIndex={0} data-scroll className="overflow-x-auto">
        {children}
      </div>
      {hiddenRight && (
        <>
          <div aria-hidden="true" className="pointer-events-none absolute inset-y-0 right-0 w-10 bg-gradient-to-l from-white" />
          <p className="mt-1 text-right text-sm text-stone-600">Scroll sideways for more →</p>
        </>
      )}
    </div>
  );
}

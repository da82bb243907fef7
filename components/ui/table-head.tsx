import type { ReactNode } from "react";

/** A column header: its label, or the label with its own classes (replacing the table's) and a tooltip. */
export type Column = ReactNode | { label: ReactNode; className?: string; title?: string };

const isColumn = (c: Column): c is { label: ReactNode; className?: string; title?: string } => typeof c === "object" && c !== null && "label" in c;

/**
 * A table's header row: one column header per entry, left to right, each with scope="col" so a
 * screen reader names the column of every cell. `leading` is a header cell put first as it is (a
 * select-all box).
 */
export function TableHead({
  columns,
  className,
  cellClassName,
  leading,
}: {
  columns: Column[];
  className?: string;
  cellClassName?: string;
  leading?: ReactNode;
}) {
  return (
    <thead className={className}>
      <tr>
        {leading}
        {columns.map((c, i) => {
          const column = isColumn(c) ? c : { label: c };
          return (
            <th key={i} scope="col" className={column.className ?? cellClassName} title={column.title}>
              {column.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** A row's header cell, with scope="row" so a screen reader names the row of every cell. */
export function RowHead({ className = "py-2 pr-3 font-normal", children }: { className?: string; children: ReactNode }) {
  return (
    <th scope="row" className={className}>
      {children}
    </th>
  );
}

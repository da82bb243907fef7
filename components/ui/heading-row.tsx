import type { ReactNode } from "react";

/** A heading with what acts on its section beside it (a link, a switch), wrapping below it on a narrow screen. */
export function HeadingRow({
  level = 2,
  id,
  className,
  title,
  align = "baseline",
  children,
}: {
  level?: 1 | 2;
  id: string;
  className: string;
  title: ReactNode;
  align?: "baseline" | "center";
  children: ReactNode;
}) {
  const Heading = level === 1 ? "h1" : "h2";
  return (
    <div className={`flex flex-wrap ${align === "baseline" ? "items-baseline" : "items-center"} justify-between gap-2`}>
      <Heading id={id} className={className}>
        {title}
      </Heading>
      {children}
    </div>
  );
}

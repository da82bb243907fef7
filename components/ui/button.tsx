import type { ButtonHTMLAttributes, ReactNode } from "react";

type Variant = "primary" | "secondary" | "ghost";

const variants: Record<Variant, string> = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-stone-400",
  secondary: "bg-white text-stone-900 border border-stone-300 hover:bg-stone-100 disabled:text-stone-400",
  ghost: "text-stone-700 hover:bg-stone-200",
};

export function buttonClass(variant: Variant = "primary", extra = ""): string {
  return `inline-flex min-h-11 min-w-11 items-center justify-center gap-2 rounded-xl px-5 text-base font-semibold transition-colors disabled:cursor-not-allowed ${variants[variant]} ${extra}`;
}

export function Button({ variant = "primary", className = "", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button className={buttonClass(variant, className)} {...props} />;
}

/** A button that stays pressed while its choice is on (aria-pressed): one of a group of view switches or answers. */
export function ToggleButton({ pressed, onPress, className, children }: { pressed: boolean; onPress: () => void; className: string; children: ReactNode }) {
  return (
    <button type="button" aria-pressed={pressed} onClick={onPress} className={className}>
      {children}
    </button>
  );
}

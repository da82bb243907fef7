"use client";

import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { addBlockedValueAction } from "@/lib/actions/hq";
import type { Identifier } from "@/lib/identity/normalize";
import type { IdentifierHolders } from "@/lib/identity/review";
import { Panel } from "@/components/ui/panel";
import { Button } from "../ui/button";
import { AlertText } from "../ui/alert-text";
import { unwrap } from "../ui/unwrap";

const NOUNS: Record<Identifier["type"], string> = { email: "email address", phone: "phone number", loyalty: "loyalty ID" };

/**
 * Who holds an over-shared identifier (a shop's phone, a family's email), and for head office the
 * way to stop it linking anyone for good: block it, as on /hq/identity.
 */
export function SharedIdentifier({
  type,
  value,
  shown,
  holders,
  canBlock,
}: {
  type: Identifier["type"];
  /** As staff may see it (masked). */
  shown: string;
  /** The stored value, for the block list. */
  value: string | null;
  holders: IdentifierHolders;
  canBlock: boolean;
}) {
  const block = useMutation({ mutationFn: () => unwrap(addBlockedValueAction({ type, value: value! })) });
  const hidden = holders.total - holders.shown.length;
  return (
    <Panel headingId="holders-heading" title={`Held by ${holders.total} customers`} className="flex flex-col gap-3">
      <p className="text-stone-700">
        The {NOUNS[type]} {shown} is on more customers&apos; records than an identifier may link, so it weighs nothing in matching: each of them stays their own
        customer.
      </p>
      <ul className="flex flex-col gap-1" aria-label={`Customers holding the ${NOUNS[type]}`}>
        {holders.shown.map((p) => (
          <li key={p.id}>
            <Link href={`/customers/${p.id}`} className="inline-flex min-h-11 items-center underline">
              {p.name} (customer {p.id})
            </Link>
          </li>
        ))}
        {hidden > 0 && <li className="text-stone-600">and {hidden} more, of other stores or beyond this list</li>}
      </ul>
      {canBlock && value && (
        <div className="flex flex-col gap-2">
          {block.isSuccess ? (
            <p role="status" className="text-emerald-800">
              Blocked: it never links anyone again. Dismiss the item when you are done.
            </p>
          ) : (
            <Button variant="secondary" className="self-start" disabled={block.isPending} onClick={() => block.mutate()}>
              Block this {NOUNS[type]} from matching
            </Button>
          )}
          <AlertText message={block.error?.message} />
        </div>
      )}
    </Panel>
  );
}

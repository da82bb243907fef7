"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { SuggestionStatus } from "@/lib/suggest/types";
import { sendOrQueue, useOutbox } from "@/components/offline/outbox";
import { recordSuggestionFeedbackAction, recordSuggestionImpressionsAction } from "@/lib/actions/suggest";
import type { SuggestionCard } from "@/lib/suggest/engine";
import { formatMoney } from "../ui/format";
import { unwrap } from "../ui/unwrap";
import { AlertText } from "../ui/alert-text";
import { ToggleButton } from "../ui/button";

const STATUS_BUTTONS: { status: SuggestionStatus; label: string; pressed: string }[] = [
  { status: "shown", label: "Shown", pressed: "bg-stone-800 text-white" },
  { status: "accepted", label: "Accepted", pressed: "bg-emerald-700 text-white" },
  { status: "dismissed", label: "Dismiss", pressed: "bg-stone-600 text-white" },
];

type Tap = { card: SuggestionCard; status: SuggestionStatus };

const cardFields = (card: SuggestionCard) => ({
  style: card.style,
  sku: card.sku ?? null,
  source: card.source.kind,
  ruleId: card.source.ruleId ?? null,
  anchorStyle: card.anchor.style,
  anchorAt: card.anchor.date,
});

export function SuggestionCards({ profileId, grant, cards }: { profileId: number; grant: string | null; cards: SuggestionCard[] }) {
  const [statuses, setStatuses] = useState<Record<string, SuggestionStatus | null>>(() => Object.fromEntries(cards.map((c) => [c.style, c.status])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const send = ({ card, status }: Tap) => unwrap(recordSuggestionFeedbackAction({ profileId, grant, ...cardFields(card), status }));
  const feedback = useMutation({
    // Offline, the tap stands and is sent with the other waiting changes once the network is back.
    mutationFn: (tap: Tap) =>
      sendOrQueue(() => send(tap), {
        key: `suggestion:${profileId}`,
        what: `Marking “${tap.card.name}” ${tap.status}`,
        preview: tap.card.style,
        send: () => send(tap),
      }),
    onMutate: ({ card, status }: Tap) => {
      const previous = statuses[card.style] ?? null;
      setStatuses((s) => ({ ...s, [card.style]: status }));
      setErrors(({ [card.style]: _cleared, ...rest }) => rest);
      return { previous };
    },
    onError: (error, { card }, context) => {
      setStatuses((s) => ({ ...s, [card.style]: context?.previous ?? null }));
      setErrors((e) => ({ ...e, [card.style]: `Not saved: ${error.message}` }));
    },
  });
  // The cards on screen count as shown once per page view (an impression is not a tap).
  const counted = useRef(false);
  useEffect(() => {
    const unseen = cards.filter((c) => c.status === null);
    if (counted.current || unseen.length === 0) return;
    counted.current = true;
    recordSuggestionImpressionsAction({ profileId, grant, cards: unseen.map(cardFields) }).catch(() => undefined);
  }, [cards, profileId, grant]);
  const waiting = new Set(
    useOutbox()
      .pending.filter((w) => w.key === `suggestion:${profileId}`)
      .map((w) => w.preview),
  );
  return (
    <section aria-labelledby="suggestions-heading" className="flex flex-col gap-3">
      <h2 id="suggestions-heading" className="text-xl font-bold">
        Goes with what you bought
      </h2>
      {cards.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">
          Nothing to suggest right now: no recent purchase or browsing has a match we can sell here.
        </p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {cards.map((card) => (
            <Card
              key={card.style}
              card={card}
              status={statuses[card.style] ?? null}
              error={errors[card.style]}
              waiting={waiting.has(card.style)}
              onTap={(status) => feedback.mutate({ card, status })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function Card({
  card,
  status,
  error,
  waiting,
  onTap,
}: {
  card: SuggestionCard;
  status: SuggestionStatus | null;
  error?: string;
  waiting: boolean;
  onTap: (status: SuggestionStatus) => void;
}) {
  const promoPrice = card.promoPercent ? Math.round((card.price * (100 - card.promoPercent)) / 100) : null;
  const a = card.availability;
  return (
    <li
      aria-label={card.name}
      data-testid="suggestion-card"
      data-style={card.style}
      className={`flex flex-col gap-2 rounded-2xl p-4 ring-1 ring-stone-200 ${status === "dismissed" ? "bg-stone-100" : "bg-white"}`}
    >
      <div className="flex gap-3">
        {card.imagePath && <img src={card.imagePath} alt="" width={56} height={56} className="size-14 shrink-0 rounded-xl bg-stone-100" />}
        <div className="min-w-0 flex-1">
          <p className="font-semibold">{card.name}</p>
          <p className="text-sm">
            {promoPrice === null ? (
              formatMoney(card.price)
            ) : (
              <>
                <span className="font-semibold text-rose-900">{formatMoney(promoPrice)}</span> <s className="text-stone-600">{formatMoney(card.price)}</s>{" "}
                <span className="rounded-full bg-rose-100 px-2 text-rose-900">{card.promoPercent}% off</span>
              </>
            )}
          </p>
          <p className={`text-sm font-semibold ${a.orderForDelivery || a.checkStock ? "text-amber-800" : "text-emerald-800"}`} data-testid="suggestion-stock">
            {card.stock}
          </p>
        </div>
      </div>
      <p className="text-stone-800" data-testid="suggestion-reason">
        {card.reason}
      </p>
      <div role="group" aria-label={`Feedback on ${card.name}`} className="mt-auto flex gap-2">
        {STATUS_BUTTONS.map((b) => (
          <ToggleButton
            key={b.status}
            pressed={status === b.status}
            onPress={() => onTap(b.status)}
            className={`min-h-11 min-w-11 flex-1 rounded-xl px-3 text-sm font-semibold ring-1 ring-stone-300 ${status === b.status ? b.pressed : "bg-white text-stone-800"}`}
          >
            {b.label}
          </ToggleButton>
        ))}
      </div>
      <AlertText message={error} className="text-sm" />
      {waiting && <p className="text-sm font-semibold text-amber-950">Will save when back online</p>}
    </li>
  );
}

import type { HistoryOrder } from "@/lib/customers/profile";
import { formatDate, formatMoney } from "../ui/format";
import { CHANNEL_LABELS } from "@/lib/customers/channels";

export function OrderCard({ order }: { order: HistoryOrder }) {
  const where = order.channel === "store" ? (order.storeName ?? "A store") : CHANNEL_LABELS[order.channel];
  return (
    <li className="rounded-2xl bg-white p-4 ring-1 ring-stone-200" data-testid="history-order">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="font-semibold">
          {formatDate(order.placedAt)} · <span data-testid="order-where">{where}</span>
          {order.isReturn && <span className="ml-2 rounded-full bg-amber-100 px-2.5 py-0.5 text-sm font-semibold text-amber-900">Return</span>}
        </p>
        <p className="text-stone-600">
          {CHANNEL_LABELS[order.channel]} · {formatMoney(order.total)}
        </p>
      </div>
      <ul className="mt-2 divide-y divide-stone-100">
        {order.lines.map((line) => (
          <li key={line.lineNo} className="flex items-center gap-3 py-2">
            {/* Lazy: React holds a navigation's commit until its eager images have loaded, and the
                purchases must not wait for their thumbnails. */}
            {line.imagePath && <img src={line.imagePath} alt="" loading="lazy" width={44} height={44} className="size-11 rounded-lg bg-stone-100" />}
            <div className="flex-1">
              <p className={line.quantity < 0 ? "text-amber-900" : ""}>{line.name}</p>
              <p className="text-sm text-stone-600">{[line.colour, line.size && `size ${line.size}`, line.sku].filter(Boolean).join(" · ")}</p>
            </div>
            <p className="text-right tabular-nums">
              {line.quantity < 0 ? `Returned ${-line.quantity} ×` : `${line.quantity} ×`} {formatMoney(line.unitPrice)}
            </p>
          </li>
        ))}
      </ul>
    </li>
  );
}

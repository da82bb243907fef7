import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { MatchWaterfall } from "@/components/duplicates/match-waterfall";
import { ReviewDecision } from "@/components/duplicates/review-decision";
import { SideProfileCard } from "@/components/duplicates/side-profile";
import { withDb } from "@/lib/actions/app-db";
import { writeAudit } from "@/lib/audit/audit";
import { requireStaff } from "@/lib/actions/session";
import { SharedIdentifier } from "@/components/duplicates/shared-identifier";
import { maskedValue } from "@/lib/identity/normalize";
import { keptApart } from "@/lib/identity/queries";
import { REVIEW_KIND_LABELS, canReviewPair, findReviewItem, identifierHolders, liveProfileOf, overtakenByMerge, sideProfile } from "@/lib/identity/review";
import { idFromPath } from "@/lib/validate";

export const metadata = { title: "Review possible duplicate" };

export default async function ReviewItemPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireStaff(["manager", "hq"]);
  const id = idFromPath((await params).id);
  if (id === null) notFound();
  const item = withDb(findReviewItem, id);
  if (!item) notFound();
  const profileIds = item.profileB === null ? [item.profileA] : [item.profileA, item.profileB];
  // A customer merged away since is judged by the one it went into: its orders are theirs now.
  const live = profileIds.map((p) => withDb(liveProfileOf, p));
  if (!withDb(canReviewPair, me.role === "hq" ? null : (me.storeId ?? -1), live)) forbidden();
  const a = withDb(sideProfile, item.profileA);
  const b = item.profileB === null ? null : withDb(sideProfile, item.profileB);
  withDb(writeAudit, {
    staffId: me.id,
    storeId: me.storeId,
    action: "identity.review_view",
    profileId: item.profileA,
    detail: { reviewItemId: id, profileB: item.profileB },
  });
  const overtaken = item.status === "open" ? withDb(overtakenByMerge, item) : null;
  const decided = item.status !== "open";
  const unmergedSince = item.status === "merged" && item.profileB !== null && withDb(keptApart, item.profileA, item.profileB);
  const shared = item.kind === "over_shared_identifier" && item.identifierType && item.identifierValue ? item.identifierType : null;
  return (
    <div className="flex flex-col gap-5">
      <div>
        <Link href="/duplicates" className="inline-flex min-h-11 items-center text-sm text-brand-800 underline">
          ← All possible duplicates
        </Link>
        <h1 className="mt-1 text-2xl font-bold">{REVIEW_KIND_LABELS[item.kind]}</h1>
        <p className="text-stone-700">{item.reason}</p>
      </div>
      {item.evidence && (
        <div className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
          <MatchWaterfall evidence={item.evidence} />
        </div>
      )}
      {decided ? (
        <p role="status" className="rounded-2xl bg-stone-100 p-4">
          Already decided:{" "}
          {item.status === "merged"
            ? unmergedSince
              ? "merged, then unmerged: the two are kept apart"
              : "merged"
            : item.kind === "over_shared_identifier"
              ? "dismissed"
              : "not the same person"}
          .
        </p>
      ) : overtaken ? (
        <p role="status" className="rounded-2xl bg-stone-100 p-4">
          Overtaken: customer {overtaken.absorbed} was merged into{" "}
          <Link href={`/customers/${overtaken.into}`} className="text-brand-800 underline">
            customer {overtaken.into}
          </Link>{" "}
          after this pair was queued. Any pair still to decide is in the{" "}
          <Link href="/duplicates" className="text-brand-800 underline">
            review queue
          </Link>
          .
        </p>
      ) : (
        <ReviewDecision
          reviewItemId={id}
          profileA={item.profileA}
          profileB={item.profileB}
          names={Object.fromEntries([a, b].filter((p) => p !== null).map((p) => [p.id, p.name]))}
        />
      )}
      {shared && (
        <SharedIdentifier
          type={shared}
          value={item.identifierValue}
          shown={maskedValue(shared, item.identifierValue!)}
          holders={withDb(identifierHolders, shared, item.identifierValue!, me.role === "hq" ? null : (me.storeId ?? -1))}
          canBlock={me.role === "hq" && !decided && !overtaken}
        />
      )}
      <div className="grid gap-4 min-[900px]:grid-cols-2">
        <SideProfileCard profile={a} label="Customer A" other={b} />
        {b && <SideProfileCard profile={b} label="Customer B" other={a} />}
      </div>
    </div>
  );
}

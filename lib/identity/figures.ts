/** What the evaluation and bench scripts read back after a load, to score or count it. */
import { eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { profiles, reviewQueue, sourceCustomers, sources } from "@/db/schema";

/** Profiles not merged into another: the people a load ended up with. */
export function countLiveProfiles(db: Db): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(profiles)
    .where(isNull(profiles.mergedInto))
    .get()!.n;
}

/** Merged profile → the profile it was merged into. */
export function mergeRedirects(db: Db): Map<number, number> {
  return new Map(
    db
      .select({ id: profiles.id, to: profiles.mergedInto })
      .from(profiles)
      .where(isNotNull(profiles.mergedInto))
      .all()
      .map((p) => [p.id, p.to!]),
  );
}

/** The open review items' profile pairs (profileB null for an item about one profile). */
export function openReviewPairs(db: Db): { profileA: number; profileB: number | null }[] {
  return db.select({ profileA: reviewQueue.profileA, profileB: reviewQueue.profileB }).from(reviewQueue).where(eq(reviewQueue.status, "open")).all();
}

/** Every source record's row, source name, own ID and profile. */
export function sourceRecordProfiles(db: Db): { recordId: number; source: string; id: string; profileId: number }[] {
  return db
    .select({ recordId: sourceCustomers.id, source: sources.name, id: sourceCustomers.sourceCustomerId, profileId: sourceCustomers.profileId })
    .from(sourceCustomers)
    .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
    .all();
}

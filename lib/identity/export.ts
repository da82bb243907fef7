import { asc, eq } from "drizzle-orm";
import { type Db, iterateTuples } from "@/db/client";
import { sourceCustomers, sources } from "@/db/schema";

/** Source name, the customer id in that source, profile id. */
export type ClusterRow = [source: string, sourceCustomerId: string, profileId: number];

/** Every source record with the profile it resolved to, in load order, one at a time (never all in memory). */
export function sourceRecordClusters(db: Db): IterableIterator<ClusterRow> {
  const query = db
    .select({ source: sources.name, sourceCustomerId: sourceCustomers.sourceCustomerId, profileId: sourceCustomers.profileId })
    .from(sourceCustomers)
    .innerJoin(sources, eq(sources.id, sourceCustomers.sourceId))
    .orderBy(asc(sourceCustomers.id))
    .toSQL();
  return iterateTuples<ClusterRow>(db, query.sql, ...query.params);
}

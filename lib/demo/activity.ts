import { buildCatalogue } from "./catalogue";
import { type Activity, DEMO_CUSTOMER_COUNT, demoCustomerActivity } from "./demo-customers";
import { HistoryGenerator, Sequences } from "./history";
import { PeopleStream, recordsOf } from "./people";
import { Random } from "./random";
import { type StoredPayload, payloadOf } from "@/lib/identity/payload";

/** People per batch: about four thousand records, so each incremental transaction stays short. */
const PEOPLE_PER_BATCH = 500;
/** The demo customers' history does not change with the seed. */
const DEMO_CUSTOMER_SEED = 4242;

/**
 * One person of the load: their number (the truth file's label), what every source system sends
 * about them, and each of their records as stored (payloadOf, in the order of activity.records).
 */
export type DrawnPerson = { person: number; activity: Activity; stored: StoredPayload[] };

const drawn = (person: number, activity: Activity): DrawnPerson => ({ person, activity, stored: activity.records.map(payloadOf) });

/**
 * The people of a load, in batches: the demo customers first (one batch), then people drawn from
 * `seed` until `profiles` in all. Pure and deterministic: same arguments, same batches, whichever
 * thread draws them (activity-feed.ts runs it in a worker).
 */
export function* activityBatches(profiles: number, seed: number): Generator<DrawnPerson[]> {
  const catalogue = buildCatalogue();
  // One numbering of orders and events for both: the demo customers' orders come first.
  const seq = new Sequences();
  const fixed = new HistoryGenerator(new Random(DEMO_CUSTOMER_SEED), catalogue, seq);
  yield demoCustomerActivity(catalogue, fixed).map((activity, i) => drawn(i + 1, activity));
  const random = new Random(seed);
  const people = new PeopleStream(random, DEMO_CUSTOMER_COUNT + 1);
  const history = new HistoryGenerator(random, catalogue, seq);
  const total = Math.max(DEMO_CUSTOMER_COUNT, profiles);
  for (let done = DEMO_CUSTOMER_COUNT; done < total;) {
    const end = Math.min(total, done + PEOPLE_PER_BATCH);
    const batch: DrawnPerson[] = [];
    for (let i = done; i < end; i++) {
      const person = people.next();
      const records = recordsOf(random, person);
      batch.push(drawn(person.n, { records, orders: history.ordersOf(person), interactions: history.interactionsOf(person) }));
    }
    yield batch;
    done = end;
  }
}

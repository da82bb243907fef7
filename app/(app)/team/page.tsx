import { PinForm } from "@/components/team/pin-form";
import { withDb } from "@/lib/actions/app-db";
import { listAssociates } from "@/lib/auth/pin";
import { requireStaff } from "@/lib/actions/session";

export const metadata = { title: "Team" };

export default async function TeamPage() {
  const me = await requireStaff(["manager", "hq"]);
  const associates = withDb(listAssociates, me.role === "hq" ? null : (me.storeId ?? -1));
  return (
    <section aria-labelledby="team-heading" className="flex flex-col gap-4">
      <h1 id="team-heading" className="text-2xl font-bold">
        Team PINs
      </h1>
      <p className="text-stone-600">Associates unlock the store tablet with a PIN of 4 to 8 digits. Five wrong tries block PIN unlock for 15 minutes.</p>
      {associates.length === 0 ? (
        <p className="rounded-2xl bg-white p-5 text-stone-600 ring-1 ring-stone-200">No associates in this store yet.</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {associates.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center justify-between gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
              <div>
                <p className="font-semibold">{a.name}</p>
                <p className="text-sm text-stone-600">
                  {a.email} · {a.hasPin ? "PIN set" : "No PIN yet"}
                </p>
              </div>
              <PinForm staffId={a.id} name={a.name} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

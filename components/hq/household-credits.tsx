import { COMPARISON_BY_NAME, type ComparisonName, type MatchModel, familyCeiling, householdCredits } from "@/lib/identity/match-model";

/** How the model counts a household's shared phone, postcode, address, city and surname, as estimated on this store. */
export function HouseholdCredits({ model }: { model: MatchModel }) {
  const credited = householdCredits(model).filter((c) => c.weight >= 0.1);
  const family = model.family ?? 0;
  const label = (name: ComparisonName) => COMPARISON_BY_NAME.get(name)!.label.toLowerCase();
  return (
    <div className="text-sm text-stone-700">
      <p>
        A household shares its phone, postcode, address and city, so agreeing on several of them counts as the strongest one, plus at most one more by what it
        adds where this store&apos;s strangers who share the first seldom share the second. A mobile one digit off another is not a household&apos;s: a mobile
        is one person&apos;s, so it counts on its own.
      </p>
      {credited.length === 0 ? (
        <p className="mt-1">
          {model.trainedAt === null ? "Until the model is estimated, a second agreement adds nothing." : "In this store a second agreement adds nothing."}
        </p>
      ) : (
        <ul className="mt-1 list-disc pl-5">
          {credited.map((c) => (
            <li key={`${c.strongest}|${c.other}`}>
              beside the same {label(c.strongest)}, the same {label(c.other)} adds +{c.weight.toFixed(1)}
            </li>
          ))}
        </ul>
      )}
      <p className="mt-2">
        A family shares its surname too.{" "}
        {family > 0
          ? `Of this store's strangers who share a postcode, ${(family * 100).toFixed(1)} % are family sharing one, so at one postcode or address the same surname weighs at most +${familyCeiling(model).toFixed(1)}, however rare it is.`
          : model.trainedAt === null
            ? "Until the model is estimated, a surname weighs the same at one home as anywhere."
            : "In this store strangers who share a postcode share a surname no more often than chance, so a surname weighs the same there as anywhere."}
      </p>
    </div>
  );
}

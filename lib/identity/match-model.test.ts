import { describe, expect, it } from "vitest";
import { formatProbability } from "./probability";
import {
  COMPARISONS,
  type MatchModel,
  type MatchRecord,
  type RawMatchRecord,
  defaultModel,
  describePart,
  guardConflict,
  householdCredits,
  levelsOf,
  levelWeight,
  scoreProfiles,
  scorePair,
  tfAdjustment,
  TWIN_CEILING,
  weighsDisagreements,
} from "./match-model";
import { trainModel } from "./match-train";
import { matchRecord } from "./match-record.fixture";
import { withCurrentLevels } from "./settings";

const rec = matchRecord;

/** The level names of a pair, by comparison, leaving out the ones that could not be made. */
function levels(a: MatchRecord, b: MatchRecord): Record<string, string> {
  const out: Record<string, string> = {};
  levelsOf(a, b).forEach((l, c) => {
    if (l >= 0) out[COMPARISONS[c].name] = COMPARISONS[c].levels[l].key;
  });
  return out;
}

describe("comparison levels", () => {
  it("grades names: exact, close, swapped, initial, different", () => {
    expect(levels(rec({ firstName: "Anna", lastName: "Kowalski" }), rec({ firstName: "anna", lastName: "Kowalsky" }))).toEqual({
      first: "exact",
      last: "close",
    });
    expect(levels(rec({ firstName: "Kowalski", lastName: "Anna" }), rec({ firstName: "Anna", lastName: "Kowalski" }))).toEqual({
      first: "swapped",
      last: "swapped",
    });
    // Swapped and mistyped on the way, as a form filled in the wrong boxes often is.
    expect(levels(rec({ firstName: "Vincen", lastName: "Luke" }), rec({ firstName: "Luke", lastName: "Vincent" }))).toEqual({
      first: "swapped",
      last: "swapped",
    });
    expect(levels(rec({ firstName: "Vincent", lastName: "Lucas" }), rec({ firstName: "Luke", lastName: "Vincent" }))).toEqual({ first: "else", last: "else" });
    expect(levels(rec({ firstName: "A", lastName: "Smith" }), rec({ firstName: "Anna", lastName: "Jones" }))).toEqual({ first: "initial", last: "else" });
    expect(levels(rec({ firstName: "Anna", lastName: "K" }), rec({ firstName: "Anna", lastName: "Kowalski" }))).toEqual({ first: "exact", last: "initial" });
  });

  it("compares names in every script, with accents, apostrophes and hyphens off", () => {
    expect(levels(rec({ firstName: "王", lastName: "芳" }), rec({ firstName: "李", lastName: "娜" }))).toEqual({ first: "else", last: "else" });
    expect(levels(rec({ firstName: "J", lastName: "Smith" }), rec({ firstName: "K", lastName: "Smith" }))).toEqual({ first: "else", last: "exact" });
    expect(levels(rec({ firstName: "Ольга", lastName: "Смирнова" }), rec({ firstName: "Татьяна", lastName: "Смирнова" }))).toEqual({
      first: "else",
      last: "exact",
    });
    expect(levels(rec({ firstName: "Siân", lastName: "O'Connor" }), rec({ firstName: "SIAN", lastName: "OConnor" }))).toEqual({
      first: "exact",
      last: "exact",
    });
    expect(levels(rec({ firstName: "Łukasz", lastName: "Størvold" }), rec({ firstName: "Lukasz", lastName: "Storvold" }))).toEqual({
      first: "exact",
      last: "exact",
    });
  });

  it("grades birth dates as Splink does: exact, one slip (a digit, day and month swapped), then within a month, a year, ten years", () => {
    const b = (d: string) => rec({ birthDate: d });
    expect(levels(b("1985-03-02"), b("19850302"))).toEqual({ birth: "exact" });
    expect(levels(b("1985-03-02"), b("1985-02-03"))).toEqual({ birth: "slip" });
    expect(levels(b("1985-03-02"), b("1985-03-07"))).toEqual({ birth: "slip" });
    expect(levels(b("1985-03-30"), b("1985-04-21"))).toEqual({ birth: "month" });
    expect(levels(b("1985-12-30"), b("1986-01-20"))).toEqual({ birth: "month" });
    expect(levels(b("1985-03-02"), b("1985-11-20"))).toEqual({ birth: "year" });
    expect(levels(b("1985-11-02"), b("1986-09-20"))).toEqual({ birth: "year" });
    expect(levels(b("1985-03-02"), b("1991-11-20"))).toEqual({ birth: "decade" });
    expect(levels(b("1985-03-02"), b("1962-11-20"))).toEqual({ birth: "else" });
    // Not a calendar date: only the year can be compared.
    expect(levels(b("1985-02-30"), b("1985-07-01"))).toEqual({ birth: "year" });
    expect(levels(b("1985-02-30"), b("1983-02-28"))).toEqual({ birth: "else" });
  });

  it("never weighs a common name mistyped above the name itself", () => {
    const model = { ...defaultModel(), tf: { ...defaultModel().tf, city: { values: { london: 0.3 }, floor: 0.001 } } };
    const city = (c: string) => rec({ city: c });
    const exactLondon = scorePair(model, city("London"), city("London")).weight;
    expect(levels(city("Londdon"), city("London"))).toEqual({ city: "close" });
    expect(scorePair(model, city("Londdon"), city("London")).weight).toBeCloseTo(exactLondon);
    // A rare town mistyped keeps the close level's own weight, below its exact agreement.
    const close = scorePair(model, city("Tobermorry"), city("Tobermory")).weight;
    expect(close).toBeGreaterThan(exactLondon);
    expect(close).toBeLessThan(scorePair(model, city("Tobermory"), city("Tobermory")).weight);
  });

  it("weighs agreement on a value the store held once as on one held twice, the least two agreeing records make", () => {
    // Training saw "Zebedee" once among 10,000 first names: the floor is two in 10,000.
    const model = { ...defaultModel(), tf: { ...defaultModel().tf, first: { values: { david: 0.02, zebedee: 0.0001 }, floor: 0.0002 } } };
    expect(tfAdjustment(model, "first", "zebedee")).toBeCloseTo(tfAdjustment(model, "first", "neverseen"));
    expect(tfAdjustment(model, "first", "zebedee")).toBeCloseTo(Math.log2(model.comparisons.first.exact.u / 0.0002));
    expect(tfAdjustment(model, "first", "david")).toBeLessThan(tfAdjustment(model, "first", "zebedee"));
  });

  it("weighs agreement on a slip of a common name as agreement on that name, never as a rare name", () => {
    // Seed 223's nightly pass joined two Freyas in one town whose till records both read "Ptael":
    // as a rare surname it weighed +14.5, where Patel weighs +6.6.
    const last = { values: { patel: 0.01, ptael: 0.00004, singh: 0.0098, kowalski: 0.0004, kowalsky: 0.00001, hill: 0.01, hall: 0.011 }, floor: 0.000001 };
    const model = { ...defaultModel(), tf: { ...defaultModel().tf, last } };
    const adjustment = (v: string) => tfAdjustment(model, "last", v);
    // A transposition, a letter left out (listed or never seen), a letter changed, a letter added.
    expect(adjustment("ptael")).toBeCloseTo(adjustment("patel"));
    expect(adjustment("sinh")).toBeCloseTo(adjustment("singh"));
    expect(adjustment("paxtel")).toBeCloseTo(adjustment("patel"));
    expect(adjustment("kowalsky")).toBeCloseTo(adjustment("kowalski"));
    // A name common in its own right beside a commoner one keeps its own weight.
    expect(adjustment("hill")).toBeGreaterThan(adjustment("hall"));
    // Two slips away is another name: it keeps its own rarity.
    expect(adjustment("pstxel")).toBeCloseTo(Math.log2(model.comparisons.last.exact.u / last.floor));
    const freya = (surname: string) => rec({ firstName: "Freya", lastName: surname, city: "Dunfermline" });
    expect(scorePair(model, freya("Ptael"), freya("Ptael")).weight).toBeCloseTo(scorePair(model, freya("Patel"), freya("Patel")).weight);
  });

  it("counts the closeness of two first names each common in the store neither for nor against, and of a slip for", () => {
    // Seed 223's nightly pass joined Sofia Hill and Zofia Hill at one postcode, and Sean and Siân Kelly.
    const first = { values: { sofia: 0.0067, zofia: 0.0067, sean: 0.0046, sian: 0.0068, sarah: 0.006, sara: 0.004, sofai: 0.00004 }, floor: 0.000001 };
    const model: MatchModel = { ...defaultModel(), trainedAt: 1, tf: { ...defaultModel().tf, first } };
    const firstPart = (x: string, y: string, m = model) => scorePair(m, rec({ firstName: x }), rec({ firstName: y }), true).parts[0];
    expect(firstPart("Sofia", "Zofia")).toEqual({
      comparison: "first",
      level: "close",
      text: "first names close: Sofia / Zofia (each a name of its own here)",
      weight: 0,
    });
    expect(firstPart("Sean", "Siân")).toMatchObject({ level: "close", weight: 0 });
    // One person's name spelled two ways is not counted against them either: with a shared phone they are one.
    expect(firstPart("Sarah", "Sara").weight).toBe(0);
    const sarah = (name: string) => rec({ firstName: name, lastName: "Jones", phone: "07412 345678", postcode: "LS6 2AB" });
    expect(scorePair(model, sarah("Sarah"), sarah("Sara")).probability).toBeGreaterThan(0.999);
    // A slip, rarer than mistyping Sofia makes it (the close level's m, 0.08, of Sofia's share), counts for.
    const slip = firstPart("Sofai", "Sofia");
    expect(slip.weight).toBeGreaterThan(0);
    expect(slip.text).toBe("first names close: Sofai / Sofia");
    // So does a value the store holds no more than twice, and any pair before the model knows the store's names.
    expect(firstPart("Zofai", "Sofai").weight).toBeGreaterThan(0);
    expect(firstPart("Sofia", "Zofia", defaultModel()).weight).toBeGreaterThan(0);
  });

  it("grades emails, phones and postcodes", () => {
    expect(levels(rec({ email: "Anna.K@Example.com " }), rec({ email: "anna.k@example.com" }))).toEqual({ email: "exact" });
    expect(levels(rec({ email: "anna.k@example.com" }), rec({ email: "ana.k@example.com" }))).toEqual({ email: "close" });
    expect(levels(rec({ email: "anna.k@example.com" }), rec({ email: "anna.k@example.org" }))).toEqual({ email: "local" });
    // Several slips (fake_1000 keys "harveyrobertson32@chavez.com" so): alike, unless the numbers differ, as namesakes' do.
    expect(levels(rec({ email: "harveyrobertson32@chavez.com" }), rec({ email: "harveyrobertsoe32@chavnz.com" }))).toEqual({ email: "alike" });
    expect(levels(rec({ email: "harveyrobertson32@chavez.com" }), rec({ email: "harveyrobertson71@chavez.com" }))).toEqual({ email: "else" });
    expect(levels(rec({ email: "megan.hall639317@example.org" }), rec({ email: "megan.hall643107@example.org" }))).toEqual({ email: "else" });
    // One slip apart, but in the numbers: two namesakes' accounts, not a typo (seed 23's Laura Rossi 1549 and 1594).
    expect(levels(rec({ email: "lrossi1549@example.org" }), rec({ email: "lrossi1594@example.org" }))).toEqual({ email: "else" });
    expect(levels(rec({ email: "lrossi1549@example.org" }), rec({ email: "lrosi1549@example.org" }))).toEqual({ email: "close" });
    // Each made of its owner's first name and one shared rest: a couple's two addresses, whatever their names' likeness.
    const paula = rec({ firstName: "Paula", email: "paula.hartley@example.com" });
    expect(levels(paula, rec({ firstName: "Paul", email: "paul.hartley@example.com" })).email).toBe("else");
    expect(levels(paula, rec({ firstName: "Paula", email: "paul.hartley@example.com" })).email).toBe("close");
    expect(levels(rec({ firstName: "Megan", email: "megan.hall@example.org" }), rec({ firstName: "Morgan", email: "morgan.hall@example.org" })).email).toBe(
      "else",
    );
    // Initials, a name after the rest, a record without a first name taken at its address's word.
    expect(levels(rec({ firstName: "John", email: "j.brackenburgh@mailx.test" }), rec({ firstName: "Kate", email: "k.brackenburgh@mailx.test" })).email).toBe(
      "else",
    );
    expect(levels(rec({ firstName: "Kate", email: "brackenburghk@mailx.test" }), rec({ firstName: "John", email: "brackenburghj@mailx.test" })).email).toBe(
      "else",
    );
    expect(levels(rec({ firstName: "Paul", email: "paul.stainthorpe@mailx.test" }), rec({ email: "paula.stainthorpe@mailx.test" })).email).toBe("else");
    // A name and its short form are one person's; so is one name with a slip in its address.
    expect(
      levels(rec({ firstName: "Chris", email: "chris.hollindrake@mailx.test" }), rec({ firstName: "Christopher", email: "christopher.hollindrake@mailx.test" }))
        .email,
    ).toBe("alike");
    expect(levels(rec({ firstName: "John", email: "j.brackenburgh@mailx.test" }), rec({ firstName: "John", email: "j.brackenburg@mailx.test" })).email).toBe(
      "close",
    );
    expect(levels(rec({ firstName: "Paul", email: "paul.stainthorpe@mailx.test" }), rec({ email: "paul.stainthorp@mailx.test" })).email).toBe("close");
    expect(levels(rec({ phone: "07412 345678" }), rec({ phone: "+44 7412 345678" }))).toEqual({ phone: "exact" });
    expect(levels(rec({ phone: "07412 345678" }), rec({ phone: "07452 345678" }))).toEqual({ phone: "last7" });
    // A household's landline and one's own mobile are two numbers of one person; two mobiles that differ are two people's.
    expect(levels(rec({ phone: "0121 231 7994" }), rec({ phone: "07890 969394" }))).toEqual({ phone: "kinds" });
    expect(levels(rec({ phone: "07412 345678" }), rec({ phone: "07890 969394" }))).toEqual({ phone: "else" });
    expect(levels(rec({ phone: "0121 231 7994" }), rec({ phone: "0131 593 5676" }))).toEqual({ phone: "else" });
    // One digit changed or two swapped in the last seven; one missed, so the number is no longer valid.
    expect(levels(rec({ phone: "07412 345678" }), rec({ phone: "07412 345687" }))).toEqual({ phone: "digit" });
    expect(levels(rec({ phone: "07758 188764" }), rec({ phone: "0775818876" }))).toEqual({ phone: "digit" });
    expect(levels(rec({ phone: "0775818876" }), rec({ phone: "+447758188764" }))).toEqual({ phone: "digit" });
    // A number that is not valid and not a slip of the other's differs from it, at a level of its own;
    // it is never compared with another that is not valid (placeholders, "00000 000000").
    expect(levels(rec({ phone: "0775818876" }), rec({ phone: "07508 927748" }))).toEqual({ phone: "invalid" });
    expect(levels(rec({ phone: "0775818876" }), rec({ phone: "0121 231 7994" }))).toEqual({ phone: "invalid" });
    // Landlines one digit apart are two numbers (neighbours on one exchange), as before.
    expect(levels(rec({ phone: "0121 231 7994" }), rec({ phone: "0121 231 7995" }))).toEqual({ phone: "else" });
    expect(levels(rec({ phone: "0775818876" }), rec({ phone: "0775818876" }))).toEqual({});
    expect(levels(rec({ phone: "00000 000000" }), rec({ phone: "0000000000" }))).toEqual({});
    expect(levels(rec({ postcode: "N1 9GU" }), rec({ postcode: "n19gu" }))).toEqual({ postcode: "exact" });
    expect(levels(rec({ postcode: "N1 9GU" }), rec({ postcode: "N1 9XY" }))).toEqual({ postcode: "sector" });
    expect(levels(rec({ postcode: "N1 9GU" }), rec({ postcode: "N1 2AB" }))).toEqual({ postcode: "district" });
  });

  it("treats missing values and placeholders as neutral, not as disagreement", () => {
    const model = defaultModel();
    const a = rec({ firstName: "Anna", lastName: "Kowalski" });
    const b = rec({ firstName: "Anna", lastName: "Kowalski", email: "noemail@noemail.com", phone: "0000000000" });
    expect(levels(a, b)).toEqual({ first: "exact", last: "exact" });
    expect(scorePair(model, a, b).weight).toBeCloseTo(scorePair(model, a, rec({ firstName: "Anna", lastName: "Kowalski" })).weight);
  });
});

describe("weights, probability and explanation", () => {
  it("adds log2(m/u) of each level to the prior and explains each in plain words", () => {
    const model = defaultModel();
    const s = scorePair(
      model,
      rec({ firstName: "Piotr", lastName: "Kowalsky", birthDate: "1979-08-14" }),
      rec({ firstName: "Piotr", lastName: "Kowalski", birthDate: "1979-08-14" }),
      true,
    );
    const expected = Math.log2(model.lambda / (1 - model.lambda)) + Math.log2(0.85 / 0.01) + Math.log2(0.08 / 0.002) + Math.log2(0.92 / 0.0001);
    expect(s.weight).toBeCloseTo(expected, 6);
    expect(s.parts.map(describePart)).toEqual(["same first name: Piotr +6.4", "surnames close: Kowalsky / Kowalski +5.3", "born the same day +13.2"]);
    expect(formatProbability(s.probability)).toBe("99.6% likely");
    expect(formatProbability(0.99999)).toBe("over 99.9% likely");
    expect(formatProbability(0.987)).toBe("98.7% likely");
    expect(formatProbability(0.984)).toBe("98% likely");
    expect(formatProbability(0.98965)).toBe("98.9% likely");
  });

  it("flags the conflicts that no weight may overrule", () => {
    const conflict = (x: MatchRecord, y: MatchRecord) => guardConflict([x], [y], [x, y]);
    expect(conflict(rec({ firstName: "Anna", phone: "07412 345678" }), rec({ firstName: "Piotr", phone: "07412 345678" }))).toBe("different_first_name");
    // Alike by Jaro-Winkler is still two names; an initial is not.
    expect(conflict(rec({ firstName: "Amir", phone: "020 8027 0480" }), rec({ firstName: "Amelia", phone: "020 8027 0480" }))).toBe("different_first_name");
    expect(conflict(rec({ firstName: "A", phone: "020 8027 0480" }), rec({ firstName: "Amelia", phone: "020 8027 0480" }))).toBeNull();
    // Twins aside, one birth date with two first names is a typing slip of a name, not two people.
    expect(conflict(rec({ firstName: "Anna", birthDate: "1985-03-02" }), rec({ firstName: "Hanna", birthDate: "1985-03-02" }))).toBeNull();
    expect(conflict(rec({ firstName: "Anna", birthDate: "1985-03-02" }), rec({ firstName: "Anna", birthDate: "1985-02-03" }))).toBeNull();
    expect(conflict(rec({ firstName: "Anna", birthDate: "1985-03-02" }), rec({ firstName: "Anna", birthDate: "1999-02-03" }))).toBe("different_birth_date");
    const card = (n: string) => rec({ firstName: "Anna", loyaltyId: `CL00100000${n}` });
    expect(guardConflict([card("16")], [card("24"), rec({ firstName: "Anna" })], [card("16"), rec({ firstName: "Anna" })])).toBe("different_loyalty");
  });

  it("leaves birth dates and first names to the weights of a model estimated on the store, never two loyalty cards", () => {
    const weighed = (x: MatchRecord, y: MatchRecord) => guardConflict([x], [y], [x, y], true);
    expect(weighed(rec({ firstName: "Anna", phone: "07412 345678" }), rec({ firstName: "Piotr", phone: "07412 345678" }))).toBeNull();
    expect(weighed(rec({ firstName: "Anna", birthDate: "1985-03-02" }), rec({ firstName: "Anna", birthDate: "1999-02-03" }))).toBeNull();
    expect(weighed(rec({ firstName: "Anna", loyaltyId: "CL0010000016" }), rec({ firstName: "Anna", loyaltyId: "CL0010000024" }))).toBe("different_loyalty");
    // A woman's name and a man's a letter apart, on any model; born the same day, a slip of the name.
    expect(weighed(rec({ firstName: "Paula", phone: "0161 496 0750" }), rec({ firstName: "Paul", phone: "0161 496 0750" }))).toBe("woman_and_man");
    expect(guardConflict([rec({ firstName: "Louise" })], [rec({ firstName: "Louis" })], [rec({ firstName: "Louise" }), rec({ firstName: "Louis" })])).toBe(
      "woman_and_man",
    );
    expect(weighed(rec({ firstName: "Paula", birthDate: "1980-06-01" }), rec({ firstName: "Paul", birthDate: "1980-06-01" }))).toBeNull();
    // A man's name with a feminine ending is a woman's, even where the man's is given to women too.
    expect(weighed(rec({ firstName: "Adriana" }), rec({ firstName: "Adrian" }))).toBe("woman_and_man");
    expect(weighed(rec({ firstName: "Gabriel" }), rec({ firstName: "Gabriella" }))).toBe("woman_and_man");
    // A man's with an "a" the lists lack; a name given to one sex only beside one the other sex is given too, maybe two people.
    expect(weighed(rec({ firstName: "Christina" }), rec({ firstName: "Christian" }))).toBe("woman_or_man");
    expect(weighed(rec({ firstName: "Nicholas" }), rec({ firstName: "Nicola" }))).toBe("woman_or_man");
    expect(weighed(rec({ firstName: "Ivana" }), rec({ firstName: "Ivan" }))).toBe("woman_and_man");
    expect(weighed(rec({ firstName: "Jo" }), rec({ firstName: "Joe" }))).toBe("woman_or_man");
    // A till's dropped letter makes no name; two names of the same sex, or two both lists hold, are left to the weights.
    expect(weighed(rec({ firstName: "Emma" }), rec({ firstName: "Emm" }))).toBeNull();
    expect(weighed(rec({ firstName: "Sara" }), rec({ firstName: "Sarah" }))).toBeNull();
    expect(weighed(rec({ firstName: "Jessie" }), rec({ firstName: "Jesse" }))).toBeNull();
    expect(weighed(rec({ firstName: "Chris" }), rec({ firstName: "Christopher" }))).toBeNull();
    expect(weighsDisagreements(defaultModel())).toBe(false);
    // Two customers one system registered on one phone, whatever the model.
    const till = (id: string, fields: Partial<RawMatchRecord>) =>
      rec({ sourceId: 3, firstName: "Mei", lastName: "Nguyen", phone: "0161 969 9407", ...fields, id: Number(id) });
    expect(weighed(till("1", {}), till("2", {}))).toBe("same_source_phone");
    expect(weighed(till("1", {}), rec({ sourceId: 2, firstName: "Mei", lastName: "Nguyen", phone: "0161 969 9407" }))).toBeNull();
    expect(weighed(till("1", {}), till("2", { phone: "0161 969 9408" }))).toBeNull();
    // Something one person holds alone vouches for them: one birth date, one loyalty card.
    expect(weighed(till("1", { birthDate: "1985-03-02" }), till("2", { birthDate: "1985-03-02" }))).toBeNull();
    expect(weighed(till("1", { loyaltyId: "CL0010000016" }), till("2", { loyaltyId: "CL0010000016" }))).toBeNull();
    // Where the untrained model sees two first names as well, the reviewer is told that first.
    const untrained = (x: MatchRecord, y: MatchRecord) => guardConflict([x], [y], [x, y]);
    expect(untrained(till("1", {}), till("2", { firstName: "Piotr" }))).toBe("different_first_name");
    expect(weighed(till("1", {}), till("2", { firstName: "Piotr" }))).toBe("same_source_phone");
    expect(untrained(till("1", {}), till("2", {}))).toBe("same_source_phone");
    expect(weighsDisagreements({ ...defaultModel(), trainedAt: 0 })).toBe(true);
  });
});

describe("training without labels", () => {
  /** 600 people, each with two records: the second with now and then a typo, a missing field or another city. */
  function population(): MatchRecord[] {
    const firsts = ["Anna", "John", "Mary", "Piotr", "Aisha", "Wei", "Sarah", "David", "Emma", "Omar", "Lucy", "Tom"];
    const lasts = [
      "Smith",
      "Smith",
      "Smith",
      "Jones",
      "Kowalski",
      "Patel",
      "Khan",
      "Brown",
      "Taylor",
      "Nguyen",
      "Okafor",
      "Murphy",
      "Walsh",
      "Evans",
      "Hughes",
    ];
    const cities = ["London", "London", "Leeds", "York", "Bath", "Hull"];
    const out: MatchRecord[] = [];
    let seed = 7;
    const r = (n: number) => ((seed = (seed * 48271) % 2147483647), Math.floor((seed / 2147483647) * n));
    for (let p = 0; p < 600; p++) {
      const first = firsts[r(firsts.length)];
      const last = lasts[r(lasts.length)];
      const birth = `19${50 + r(50)}-${String(1 + r(12)).padStart(2, "0")}-${String(1 + r(28)).padStart(2, "0")}`;
      const city = cities[r(cities.length)];
      out.push(rec({ firstName: first, lastName: last, birthDate: birth, city }));
      const typo = r(10) === 0 ? `${last}e` : last;
      out.push(rec({ firstName: first, lastName: typo, birthDate: r(5) === 0 ? null : birth, city: r(8) === 0 ? cities[r(cities.length)] : city }));
    }
    return out;
  }

  it("estimates m above u for agreement, a prior near the truth, and weighs a common surname less than a rare one", () => {
    const model = trainModel(population(), { now: 0, maxRandomPairs: 100_000 });
    for (const c of ["first", "last", "birth"] as const) expect(model.comparisons[c].exact.m).toBeGreaterThan(model.comparisons[c].exact.u * 3);
    // 600 matching pairs among 1200 × 1199 / 2.
    const truth = 600 / ((1200 * 1199) / 2);
    expect(model.lambda).toBeGreaterThan(truth / 3);
    expect(model.lambda).toBeLessThan(truth * 3);
    const smith = scorePair(model, rec({ lastName: "Smith" }), rec({ lastName: "Smith" })).weight;
    const okafor = scorePair(model, rec({ lastName: "Okafor" }), rec({ lastName: "Okafor" })).weight;
    expect(okafor).toBeGreaterThan(smith + 1);
  });

  it("never lets a partial agreement the store's strangers never show outweigh exact agreement, nor a level of values that cannot be compared count for a match", () => {
    // No one in this store writes an initial or swaps their names: the levels rest on no pair at all.
    const model = trainModel(population(), { now: 0, maxRandomPairs: 100_000 });
    const bothNames = levelWeight(model, "first", "exact") + levelWeight(model, "last", "exact");
    for (const c of ["first", "last"] as const) {
      expect(levelWeight(model, c, "initial"), `${c} initial`).toBeLessThanOrEqual(levelWeight(model, c, "exact") + 1e-9);
      // A swap is both names agreeing crosswise, counted once.
      expect(levelWeight(model, c, "swapped"), `${c} swapped`).toBeLessThanOrEqual(bothNames + 1e-9);
    }
    for (const level of ["invalid", "kinds"]) expect(levelWeight(model, "phone", level), level).toBeLessThanOrEqual(1e-9);
  });

  it("samples whole blocks when a rule has more pairs than EM may see, so one person's pairs are kept and the prior still holds", () => {
    const records = population();
    const full = trainModel(records, { now: 0, maxRandomPairs: 100_000 });
    const sampled = trainModel(records, { now: 0, maxRandomPairs: 100_000, maxPairsPerRule: 1500 });
    const note = sampled.notes!.find((n) => n.includes("same first and last name"))!;
    const [, seen, of] = note.match(/EM over ([\d,]+) pairs \(blocks sampled, of ([\d,]+)\)/)!;
    const count = (n: string) => Number(n.replaceAll(",", ""));
    expect(count(of)).toBeGreaterThan(3 * 1500);
    // About the pairs allowed, whole blocks at a time.
    expect(count(seen)).toBeGreaterThan(1000);
    expect(count(seen)).toBeLessThan(2000);
    const truth = 600 / ((1200 * 1199) / 2);
    expect(sampled.lambda).toBeGreaterThan(truth / 3);
    expect(sampled.lambda).toBeLessThan(truth * 3);
    expect(Math.abs(sampled.comparisons.birth.exact.m - full.comparisons.birth.exact.m)).toBeLessThan(0.1);
  });

  it("clears u of the matches among the random pairs, which in a small store full of duplicates are many", () => {
    const records = population();
    const samePerson = (i: number, j: number) => Math.floor(i / 2) === Math.floor(j / 2);
    let strangers = 0;
    let strangersBornSameDay = 0;
    let allBornSameDay = 0;
    for (let i = 0; i < records.length; i++)
      for (let j = i + 1; j < records.length; j++) {
        if (!records[i].birth || !records[j].birth) continue;
        const same = records[i].birth === records[j].birth;
        if (same) allBornSameDay++;
        if (samePerson(i, j)) continue;
        strangers++;
        if (same) strangersBornSameDay++;
      }
    const strangersShare = strangersBornSameDay / strangers;
    // Uncorrected, the share over all pairs would be several times the strangers' own.
    expect(allBornSameDay / (strangers + records.length / 2)).toBeGreaterThan(3 * strangersShare);
    const u = trainModel(records, { now: 0 }).comparisons.birth.exact.u;
    expect(u).toBeGreaterThan(strangersShare / 2);
    expect(u).toBeLessThan(strangersShare * 2);
  });

  it("estimates the postcode's u from the pairs within postcodes, which random pairs of a store with many postcodes seldom hold", () => {
    // 1,500 people with two records each at 4,000 postcodes: strangers share one 1 pair in 4,000.
    const storeDrawn = (seed: number) => {
      const r = (n: number) => ((seed = (seed * 48271) % 2147483647), Math.floor((seed / 2147483647) * n));
      const out: MatchRecord[] = [];
      for (let p = 0; p < 1500; p++) {
        const person = {
          firstName: ["Anna", "John", "Mary", "Omar"][r(4)],
          lastName: `K${"abcdefghij"[r(10)]}${"abcdefghij"[r(10)]}`,
          postcode: `LS${r(40)} ${1 + r(9)}${"ABCDEFGHIJ"[r(10)]}A`,
        };
        out.push(rec(person), rec(person));
      }
      return out;
    };
    for (const seed of [3, 4, 5]) {
      // So few random pairs that they hold about five strangers at one postcode.
      const model = trainModel(storeDrawn(seed), { now: 0, maxRandomPairs: 20_000 });
      expect(model.comparisons.postcode.exact.u).toBeGreaterThan(1 / 4000 / 1.3);
      expect(model.comparisons.postcode.exact.u).toBeLessThan((1 / 4000) * 1.3);
      expect(model.notes).toContainEqual(expect.stringMatching(/^postcode agreement among strangers from the [\d,]+ pairs within postcodes/));
    }
  });
});

describe("a swapped name", () => {
  it("counts once, though both name comparisons see it", () => {
    const model = defaultModel();
    const s = scorePair(model, rec({ firstName: "George", lastName: "Davids" }), rec({ firstName: "Davies", lastName: "George" }), true);
    expect(s.parts.map(describePart)).toEqual([
      `first and last name swapped: George Davids / Davies George +${Math.log2(0.01 / 0.00005).toFixed(1)}`,
      "first and last name swapped (the same swap, counted once) +0.0",
    ]);
    expect(s.weight).toBeCloseTo(Math.log2(model.lambda / (1 - model.lambda)) + Math.log2(0.01 / 0.00005), 6);
  });
});

describe("households", () => {
  const home = { lastName: "Okafor", phone: "0161 496 0555", postcode: "M14 5RT", address: "12 Park Road", city: "Manchester" };

  it("weighs a birthday shared at one home by two first names as twins share one, and a surname shared on one email as a household's", () => {
    // A model estimated on the store: no guard rail, the weights alone decide.
    const model: MatchModel = { ...defaultModel(), trainedAt: 1 };
    const part = (s: ReturnType<typeof scorePair>, comparison: string) => s.parts.find((p) => p.comparison === comparison)!;
    const twins = scorePair(
      model,
      rec({ firstName: "Olivia", email: "olivia@example.com", birthDate: "2002-04-09", ...home }),
      rec({ firstName: "Sophie", email: "sophie@example.com", birthDate: "2002-04-09", ...home }),
      true,
    );
    expect(part(twins, "birth")).toMatchObject({
      weight: Math.round(TWIN_CEILING * 10) / 10,
      text: "born the same day (two first names at one home, where twins share a birthday: counts less)",
    });
    expect(twins.probability).toBeLessThan(0.99);
    // A name and its short form, born the same day at that home, are one person's: the birthday counts in full.
    const danny = scorePair(
      model,
      rec({ firstName: "Danny", birthDate: "1997-01-05", ...home }),
      rec({ firstName: "Daniel", birthDate: "1997-01-05", ...home }),
      true,
    );
    expect(part(danny, "birth").weight).toBeGreaterThan(TWIN_CEILING + 1);
    expect(part(danny, "first")).toMatchObject({ level: "similar", text: "first names alike, not the same: Danny / Daniel" });

    const varley = { lastName: "Varley", email: "bea.varley@example.com" };
    const couple = scorePair(model, rec({ firstName: "Clement", phone: "07955 610377", ...varley }), rec({ firstName: "Beatrix", ...varley }), true);
    expect(part(couple, "last")).toMatchObject({ weight: 0, text: "same surname: Varley (a household's on one email, with two first names: counts nothing)" });
    expect(couple.probability).toBeLessThan(0.5);
  });

  it("counts a shared phone, postcode, address and city once, so a couple is not shown as near-certain", () => {
    const model = defaultModel();
    const couple = scorePair(
      model,
      rec({ firstName: "Grace", birthDate: "1968-04-12", ...home }),
      rec({ firstName: "Daniel", birthDate: "1966-09-30", ...home }),
      true,
    );
    expect(couple.probability).toBeLessThan(0.5);
    expect(couple.parts.filter((p) => ["phone", "postcode", "address", "city"].includes(p.comparison) && p.weight > 0)).toHaveLength(1);
    expect(couple.parts.filter((p) => p.text.endsWith("(same household, counted once)"))).toHaveLength(3);
    expect(couple.weight).toBeCloseTo(couple.parts.reduce((s, p) => s + p.weight, 0) + Math.log2(model.lambda / (1 - model.lambda)), 0);
    // The same household evidence with her own name and birthday is one person.
    const grace = scorePair(
      model,
      rec({ firstName: "Grace", birthDate: "1968-04-12", ...home }),
      rec({ firstName: "Grace", birthDate: "1968-04-12", ...home }),
    );
    expect(grace.probability).toBeGreaterThan(0.99);
  });

  it("does not take two mobiles one digit apart, one surname and one postcode for one person beside two first names", () => {
    const model = defaultModel();
    // A family's contracts bought together: numbers in a row.
    const family = { lastName: "Okafor", postcode: "M14 5RT" };
    const pair = scorePair(
      model,
      rec({ firstName: "Grace", phone: "07412 345678", ...family }),
      rec({ firstName: "Daniel", phone: "07412 345679", ...family }),
      true,
    );
    expect(pair.probability).toBeLessThan(0.5);
    expect(pair.parts.find((p) => p.comparison === "last")).toMatchObject({
      weight: 0,
      text: "same surname: Okafor (a family's mobiles in a row, with two first names: counts nothing)",
    });
    // Her own number mistyped once, with her own name, is her.
    const grace = scorePair(
      model,
      rec({ firstName: "Grace", phone: "07412 345678", ...family }),
      rec({ firstName: "Grace", phone: "07412 345687", ...family }),
    );
    expect(grace.probability).toBeGreaterThan(0.99);
  });

  /** 500 people with two records each; a postcode belongs to one town, or (apart) the town is drawn on its own. */
  function store(townOfPostcode: "one" | "apart"): MatchRecord[] {
    const towns = ["Leeds", "York", "Hull", "Bath", "Ely", "Wells"];
    let seed = 11;
    const r = (n: number) => ((seed = (seed * 48271) % 2147483647), Math.floor((seed / 2147483647) * n));
    const out: MatchRecord[] = [];
    for (let p = 0; p < 500; p++) {
      const postcode = r(40);
      const person = {
        firstName: `F${r(60)}`,
        lastName: `L${r(200)}`,
        birthDate: `19${50 + r(50)}-0${1 + r(9)}-1${r(10)}`,
        postcode: `LS${postcode} 1AA`,
        city: townOfPostcode === "one" ? towns[postcode % towns.length] : towns[r(towns.length)],
      };
      out.push(rec(person), rec(person));
    }
    return out;
  }

  it("adds a second household agreement by what the store's strangers show it adds: nothing where a postcode has one town", () => {
    const a = { firstName: "Ann", postcode: "LS7 1AA", city: "York" };
    const b = { firstName: "Bea", postcode: "LS7 1AA", city: "York" };
    const [oneTownModel, apartModel] = [trainModel(store("one"), { now: 0 }), trainModel(store("apart"), { now: 0 })];
    const oneTown = scorePair(oneTownModel, rec(a), rec(b), true);
    const apart = scorePair(apartModel, rec(a), rec(b), true);
    const city = (s: typeof oneTown) => s.parts.find((p) => p.comparison === "city")!;
    expect(city(oneTown)).toMatchObject({ weight: 0, text: "same city: York (same household, counted once)" });
    expect(city(apart).weight).toBeGreaterThan(1);
    expect(city(apart).text).toBe("same city: York (same household: what strangers sharing the rest of it share less often)");
    // As head office reads it on /hq/identity.
    const cityBesidePostcode = (m: typeof apartModel) => householdCredits(m).find((c) => c.strongest === "postcode" && c.other === "city")!.weight;
    expect(cityBesidePostcode(oneTownModel)).toBe(0);
    expect(cityBesidePostcode(apartModel)).toBeCloseTo(city(apart).weight, 0);
  });
});

describe("a surname at one home", () => {
  /**
   * 600 people with two records each, at 150 postcodes; every third has a partner at their postcode
   * with another first name and birthday, who shares the surname (families) or has one of their own.
   */
  function store(partners: "family" | "strangers"): MatchRecord[] {
    let seed = 5;
    const r = (n: number) => ((seed = (seed * 48271) % 2147483647), Math.floor((seed / 2147483647) * n));
    const out: MatchRecord[] = [];
    const add = (person: { firstName: string; lastName: string; birthDate: string; postcode: string }) => {
      out.push(rec(person), rec({ ...person, birthDate: r(3) === 0 ? null : person.birthDate }));
    };
    const born = () => `19${50 + r(50)}-0${1 + r(9)}-1${r(10)}`;
    // Names are letters only: "Kab", "Kac", …
    const named = (initial: string, n: number) => `${initial}${"abcdefghijklmnopqrstuvwxyz"[n % 26]}${"abcdefghijklmnopqrstuvwxyz"[Math.floor(n / 26)]}`;
    const surname = () => named("K", r(300));
    for (let p = 0; p < 400; p++) {
      const person = { firstName: named("F", r(80)), lastName: surname(), birthDate: born(), postcode: `LS${r(150)} 1AA` };
      add(person);
      if (p % 2 === 0)
        add({ firstName: named("F", r(80)), lastName: partners === "family" ? person.lastName : surname(), birthDate: born(), postcode: person.postcode });
    }
    return out;
  }

  it("weighs less where the store's strangers at one postcode are often family, and as ever where they are not", () => {
    const [familyModel, strangersModel] = [trainModel(store("family"), { now: 0 }), trainModel(store("strangers"), { now: 0 })];
    expect(familyModel.family).toBeGreaterThan(0.1);
    expect(strangersModel.family).toBeLessThan(0.01);
    const surname = (model: MatchModel, postcode: string) =>
      scorePair(model, rec({ firstName: "Ann", lastName: "Kha", postcode: "LS1 1AA" }), rec({ firstName: "Bea", lastName: "Kha", postcode }), true).parts.find(
        (p) => p.comparison === "last",
      )!;
    const [home, apart] = [surname(familyModel, "LS1 1AA"), surname(familyModel, "LS2 1AA")];
    expect(apart.text).toBe("same surname: Kha");
    expect(home.text).toBe("same surname: Kha (at one home, where strangers who share a surname are often family)");
    expect(home.weight).toBeLessThan(apart.weight - 2);
    expect(home.weight).toBeGreaterThan(0);
    expect(surname(strangersModel, "LS1 1AA").weight).toBeCloseTo(surname(strangersModel, "LS2 1AA").weight, 0);
  });
});

describe("a model stored before a comparison's levels changed", () => {
  it("takes the starting values for that comparison, says so, and keeps every other estimate", () => {
    const stored = defaultModel();
    stored.trainedAt = 1;
    stored.comparisons.email.exact = { m: 0.5, u: 0.001 };
    // Birth dates as they were graded before: exact, slip, same year, else.
    stored.comparisons.birth = { exact: { m: 0.6, u: 0.001 }, slip: { m: 0.2, u: 0.01 }, year: { m: 0.1, u: 0.1 }, else: { m: 0.1, u: 0.889 } };
    const loaded = withCurrentLevels(stored);
    expect(loaded.comparisons.birth).toEqual(defaultModel().comparisons.birth);
    expect(loaded.comparisons.email.exact).toEqual({ m: 0.5, u: 0.001 });
    expect(loaded.notes?.at(-1)).toBe("Birth date: starting values until the next identity:train (its levels changed)");
    expect(withCurrentLevels(defaultModel())).toEqual(defaultModel());
  });
});

describe("a record against a profile", () => {
  it("weighs every comparison at the best level any of the profile's records reaches, and a disagreement only where none agrees", () => {
    const model = defaultModel();
    const sofia = [
      rec({ firstName: "Sofia", lastName: "Smith", birthDate: "1970-10-21", postcode: "BS3 4ZX", email: "ssmith@example.org" }),
      rec({ firstName: "Sofia", lastName: "Smith", phone: "07850 557854", postcode: "BS3 4ZX", city: "Bristol" }),
    ];
    // Another Sofia Smith at the same postcode, with a phone of her own: the first record alone (no phone) would vouch for her.
    const namesake = rec({ firstName: "Sofia", lastName: "Smith", phone: "07884 764341", postcode: "BS3 4ZX" });
    const alone = scorePair(model, namesake, sofia[0]).weight;
    const match = scoreProfiles(model, [namesake], sofia)!;
    expect(match.best.parts.map(describePart)).toEqual([
      "same first name: Sofia +6.4",
      "same surname: Smith +7.4",
      "different phone numbers −2.6",
      "same postcode: BS3 4ZX +10.7",
    ]);
    expect(match.best.weight).toBeCloseTo(alone + levelWeight(model, "phone", "else"), 5);
    // Her own new record: a birth date on one of her records, the phone on the other; both count.
    const herself = rec({ firstName: "Sofia", lastName: "Smith", birthDate: "1970-10-21", phone: "07850 557854" });
    const parts = scoreProfiles(model, [herself], sofia)!.best.parts.map((p) => p.text);
    expect(parts).toEqual(["same first name: Sofia", "same surname: Smith", "born the same day", "same phone number"]);
  });

  it("lets no record without a surname hide that the profile's other records name another surname", () => {
    const model = defaultModel();
    // Seed 223's Sean Begum: his app account holds no surname. Sean Santos, at his postcode, is someone else.
    const begum = [
      rec({ firstName: "Sean", email: "sean_begum@example.org" }),
      rec({ firstName: "Sean", lastName: "Begum", email: "sean_begum@example.org", postcode: "W11 7TS", city: "London" }),
    ];
    const santos = [rec({ firstName: "Sean", lastName: "Santos", postcode: "W11 7TS", city: "London" })];
    const match = scoreProfiles(model, santos, begum)!.best;
    expect(match.parts.map((p) => p.text)).toContain("different surnames: Santos / Begum");
    expect(match.weight).toBeCloseTo(scoreProfiles(model, santos, [begum[1]])!.best.weight, 5);
    // Only the app account: its first name is all there is to compare.
    expect(scoreProfiles(model, santos, [begum[0]])!.best.parts.map((p) => p.text)).toEqual(["same first name: Sean"]);
  });

  it("weighs a number that is not valid against another's, unless it is one digit off it, and only where no two valid numbers compare", () => {
    const model = defaultModel();
    // Seed 73's Sean Williams: his second till account holds his mobile with the last digit missed.
    const till = [rec({ firstName: "Sean", lastName: "Williams", phone: "0775084781", postcode: "SK4 7JL" })];
    const sian = [
      rec({ firstName: "Siân", lastName: "Williams", phone: "07508 927 748", postcode: "SK4 7JL" }),
      rec({ firstName: "Siân", lastName: "Williams", phone: "+44 7508 927748", postcode: "SK4 7JL", email: "sian@example.net" }),
    ];
    const phone = (a: MatchRecord[], b: MatchRecord[]) => scoreProfiles(model, a, b)!.best.parts.find((p) => p.comparison === "phone");
    expect(phone(till, sian)).toMatchObject({ text: "different phone numbers: one not valid as written", weight: -1.6 });
    const withoutPhone = scoreProfiles(model, [rec({ firstName: "Sean", lastName: "Williams", postcode: "SK4 7JL" })], sian)!.best;
    expect(scoreProfiles(model, till, sian)!.best.weight).toBeCloseTo(withoutPhone.weight - 1.6, 1);
    // His own till record, name cut short, holds the number whole.
    expect(phone(till, [rec({ firstName: "Sea", lastName: "Williams", phone: "07750847815" })])?.text).toBe("mobile numbers one digit apart");
    // Where valid numbers compare, they say it.
    expect(phone([...till, rec({ firstName: "Sean", lastName: "Williams", phone: "07412 345678" })], sian)?.text).toBe("different phone numbers");
  });

  it("counts a landline beside a mobile only where no two numbers of one kind can be compared", () => {
    const model = defaultModel();
    // Seed 41's Ingrid Ward (the household landline and her own mobile) and Ingrid King (her mobile):
    // the two mobiles differ, and Ward's landline against King's mobile must not hide that.
    const ward = [
      rec({ firstName: "Ingrid", lastName: "Ward", birthDate: "1988-03-02", phone: "0121 231 7994" }),
      rec({ firstName: "Ingrid", lastName: "Ward", birthDate: "1988-03-02", phone: "07412 345678" }),
    ];
    const king = [rec({ firstName: "Ingrid", lastName: "King", birthDate: "1988-03-02", phone: "07890 969394" })];
    const phone = (a: MatchRecord[], b: MatchRecord[]) => scoreProfiles(model, a, b)!.best.parts.find((p) => p.comparison === "phone")!;
    expect(phone(ward, king).text).toBe("different phone numbers");
    expect(phone(king, ward).text).toBe("different phone numbers");
    // With only the landline on her side there is nothing to compare the mobile with.
    expect(phone(ward.slice(0, 1), king).text).toBe("different phone numbers: a landline and a mobile");
    // An agreement still counts whatever else differs.
    expect(phone(ward, [rec({ firstName: "Ingrid", lastName: "Ward", phone: "07412 345678" })]).text).toBe("same phone number");
  });

  it("takes the first and last name from one pair of records, so a swapped name is not counted beside an exact one", () => {
    const model = defaultModel();
    const profile = [rec({ firstName: "Luke", lastName: "Vincent" }), rec({ firstName: "Vincent", lastName: "Luke", city: "Leeds" })];
    const parts = scoreProfiles(model, [rec({ firstName: "Vincent", lastName: "Luke", city: "Leeds" })], profile)!.best.parts;
    expect(parts.filter((p) => p.comparison === "first" || p.comparison === "last").map((p) => p.level)).toEqual(["exact", "exact"]);
  });
});

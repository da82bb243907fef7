import type { CustomerRecordInput } from "@/lib/identity/ingest";
import { DEFAULT_IDENTITY_SETTINGS, makeLoyaltyId, normalizePhone } from "@/lib/identity/normalize";
import { DAY_MS, utcDay } from "@/lib/days";
import { HISTORY_START, REFERENCE_NOW } from "./calendar";
import { type Department, SIZE_SCHEMES, type SizeScheme } from "./catalogue";
import { STORES, type StoreCode, type StoreSpec } from "./chain";
import { Random, Weighted } from "./random";

/** Loyalty card numbers are 1,000,000 + the person's number: the demo customers hold the first ones. */
const LOYALTY_BASE = 1_000_000;

export function loyaltyIdOf(personNumber: number): string {
  return makeLoyaltyId(LOYALTY_BASE + personNumber, DEFAULT_IDENTITY_SETTINGS.loyalty);
}

export const FEMALE_NAMES = [
  "Olivia",
  "Amelia",
  "Isla",
  "Ava",
  "Emily",
  "Sophie",
  "Grace",
  "Mia",
  "Poppy",
  "Ella",
  "Lily",
  "Evie",
  "Jessica",
  "Charlotte",
  "Hannah",
  "Chloe",
  "Lucy",
  "Ruby",
  "Freya",
  "Alice",
  "Eleanor",
  "Harriet",
  "Imogen",
  "Rebecca",
  "Sarah",
  "Emma",
  "Laura",
  "Rachel",
  "Claire",
  "Helen",
  "Karen",
  "Susan",
  "Margaret",
  "Fiona",
  "Catriona",
  "Eilidh",
  "Niamh",
  "Siobhan",
  "Aoife",
  "Priya",
  "Aisha",
  "Fatima",
  "Zara",
  "Amira",
  "Layla",
  "Noor",
  "Anjali",
  "Sana",
  "Simran",
  "Harpreet",
  "Mei",
  "Lin",
  "Yuki",
  "Hana",
  "Chiamaka",
  "Ngozi",
  "Adaeze",
  "Folake",
  "Abena",
  "Agnieszka",
  "Katarzyna",
  "Magdalena",
  "Joanna",
  "Zofia",
  "Ana",
  "Maria",
  "Sofia",
  "Lucia",
  "Elena",
  "Ioana",
  "Giulia",
  "Chiara",
  "Inês",
  "Freja",
  "Ingrid",
  "Nadia",
  "Yasmin",
  "Leah",
  "Naomi",
  "Esther",
  "Tamsin",
  "Bethan",
  "Cerys",
  "Megan",
  "Rhiannon",
  "Siân",
  "Zoë",
  "Georgia",
  "Jasmine",
  "Maryam",
  "Deborah",
];
const MALE_NAMES = [
  "Oliver",
  "George",
  "Harry",
  "Jack",
  "Jacob",
  "Noah",
  "Charlie",
  "Thomas",
  "Oscar",
  "William",
  "James",
  "Henry",
  "Leo",
  "Alfie",
  "Joshua",
  "Freddie",
  "Archie",
  "Ethan",
  "Daniel",
  "Samuel",
  "Joseph",
  "David",
  "Michael",
  "Andrew",
  "Richard",
  "Mark",
  "Paul",
  "Stephen",
  "Peter",
  "Robert",
  "Callum",
  "Euan",
  "Ruaridh",
  "Lewis",
  "Hamish",
  "Ciarán",
  "Sean",
  "Declan",
  "Rohan",
  "Arjun",
  "Ravi",
  "Sanjay",
  "Vikram",
  "Amir",
  "Omar",
  "Yusuf",
  "Ali",
  "Hassan",
  "Bilal",
  "Imran",
  "Wei",
  "Jun",
  "Kenji",
  "Hiroshi",
  "Chidi",
  "Emeka",
  "Tunde",
  "Kwame",
  "Kofi",
  "Tomasz",
  "Piotr",
  "Krzysztof",
  "Marek",
  "Jakub",
  "Luca",
  "Marco",
  "Mateo",
  "Diego",
  "João",
  "Andrei",
  "Mihai",
  "Lars",
  "Erik",
  "Jonah",
  "Reuben",
  "Dylan",
  "Rhys",
  "Gareth",
  "Owen",
  "Kieran",
  "Nathan",
];
export const LAST_NAMES = [
  "Smith",
  "Jones",
  "Taylor",
  "Brown",
  "Williams",
  "Wilson",
  "Johnson",
  "Davies",
  "Robinson",
  "Wright",
  "Thompson",
  "Evans",
  "Walker",
  "White",
  "Roberts",
  "Green",
  "Hall",
  "Wood",
  "Jackson",
  "Clarke",
  "Patel",
  "Khan",
  "Shah",
  "Ahmed",
  "Hussain",
  "Begum",
  "Ali",
  "Singh",
  "Kaur",
  "Sharma",
  "Gupta",
  "Chowdhury",
  "Rahman",
  "Murphy",
  "Kelly",
  "O'Brien",
  "O'Connor",
  "Byrne",
  "MacDonald",
  "Campbell",
  "Stewart",
  "Robertson",
  "Fraser",
  "Murray",
  "Kowalski",
  "Nowak",
  "Wiśniewska",
  "Kowalczyk",
  "Lewandowski",
  "Chen",
  "Wang",
  "Li",
  "Zhang",
  "Nguyen",
  "Tanaka",
  "Okafor",
  "Adeyemi",
  "Mensah",
  "Boateng",
  "Okonkwo",
  "Osei",
  "Rossi",
  "Russo",
  "Ferreira",
  "Silva",
  "Santos",
  "García",
  "Martínez",
  "Popescu",
  "Novak",
  "Hansen",
  "Larsen",
  "Müller",
  "O'Neill",
  "McCarthy",
  "Hughes",
  "Edwards",
  "Morgan",
  "Lloyd",
  "Price",
  "Jenkins",
  "Mitchell",
  "Cooper",
  "Ward",
  "Morris",
  "King",
  "Baker",
  "Harris",
  "Martin",
  "Turner",
  "Hill",
  "Moore",
  "Lee",
  "Walsh",
  "Doyle",
  "Bennett",
  "Gray",
  "Hart",
  "Ellis",
];
const STREETS = [
  "High Street",
  "Station Road",
  "Church Lane",
  "Victoria Road",
  "Park Avenue",
  "Mill Lane",
  "Queens Road",
  "Kingsway",
  "Albert Street",
  "The Crescent",
  "Manor Road",
  "Grove Terrace",
  "York Road",
  "Springfield Road",
  "Chapel Street",
  "Orchard Close",
  "Beech Avenue",
  "Windsor Road",
  "Richmond Terrace",
  "Cavendish Place",
  "Elm Grove",
  "Marlborough Road",
  "St John's Road",
  "Harbour View",
];

type Place = { city: string; districts: string[]; weight: number };

/** Where each store's customers live: the city itself and the towns around it, with their relative weights and postcode districts. */
const TOWNS: [StoreCode, string, number, string][] = [
  ["LDN", "London", 70, "SW1A SW4 SW11 SE1 SE15 SE22 N1 N16 E2 E8 E17 W2 W11 NW1 NW3 EC1V"],
  ["LDN", "Croydon", 5, "CR0"],
  ["LDN", "Kingston upon Thames", 5, "KT1 KT2"],
  ["LDN", "Richmond", 5, "TW9 TW10"],
  ["LDN", "Watford", 5, "WD17 WD18"],
  ["LDN", "St Albans", 5, "AL1 AL3"],
  ["LDN", "Guildford", 5, "GU1 GU2"],
  ["LDS", "Leeds", 60, "LS1 LS6 LS7 LS8 LS17 LS18"],
  ["LDS", "Harrogate", 10, "HG1 HG2"],
  ["LDS", "Wakefield", 10, "WF1 WF2"],
  ["LDS", "York", 10, "YO1 YO24"],
  ["LDS", "Bradford", 10, "BD1 BD9"],
  ["MAN", "Manchester", 55, "M1 M4 M14 M20 M21"],
  ["MAN", "Salford", 10, "M5 M50"],
  ["MAN", "Stockport", 10, "SK1 SK4"],
  ["MAN", "Altrincham", 10, "WA14 WA15"],
  ["MAN", "Sale", 8, "M33"],
  ["MAN", "Bolton", 7, "BL1"],
  ["EDI", "Edinburgh", 65, "EH1 EH3 EH4 EH9 EH10 EH6"],
  ["EDI", "Musselburgh", 8, "EH21"],
  ["EDI", "Livingston", 8, "EH54"],
  ["EDI", "Glasgow", 12, "G1 G12 G41"],
  ["EDI", "Dunfermline", 7, "KY11 KY12"],
  ["BRS", "Bristol", 65, "BS1 BS3 BS6 BS7 BS8"],
  ["BRS", "Bath", 15, "BA1 BA2"],
  ["BRS", "Keynsham", 5, "BS31"],
  ["BRS", "Weston-super-Mare", 5, "BS23"],
  ["BRS", "Cardiff", 10, "CF10 CF11"],
  ["BHM", "Birmingham", 60, "B1 B13 B15 B17 B30"],
  ["BHM", "Solihull", 12, "B91 B92"],
  ["BHM", "Sutton Coldfield", 10, "B72 B73"],
  ["BHM", "Leamington Spa", 8, "CV31 CV32"],
  ["BHM", "Coventry", 10, "CV1 CV5"],
];

/** Geographic landline area codes and first digits, clear of the drama ranges the stores' numbers use. */
const AREA_CODES: Record<StoreSpec["code"], { code: string; first: string[] }> = {
  LDN: { code: "020", first: ["8", "3"] },
  LDS: { code: "0113", first: ["2", "3"] },
  MAN: { code: "0161", first: ["2", "8", "9"] },
  EDI: { code: "0131", first: ["2", "3", "5", "6"] },
  BRS: { code: "0117", first: ["9"] },
  BHM: { code: "0121", first: ["2", "7"] },
};

const INWARD_LETTERS = [..."ABDEFGHJLNPQRSTUWXYZ"];

/** Values tills and web forms fill in when the customer gives none: blocked from linking in the demo settings. */
export const PLACEHOLDER_EMAILS = ["noemail@noemail.com", "none@none.com", "NOEMAIL@STORE.COM", "no.email@example.com", "customer@example.com", "x@x.com"];
export const PLACEHOLDER_PHONES = ["0000000000", "07911 123456", "00000 000000"];
export const SPARE_TILL_CARD = makeLoyaltyId(LOYALTY_BASE - 1, DEFAULT_IDENTITY_SETTINGS.loyalty);

const EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "post.example.org", "inbox.example.net"];

let mobilePrefixes: string[] | undefined;

/**
 * Five-digit UK mobile prefixes (7xxxx) that libphonenumber accepts whatever the last five digits:
 * ranges such as 07700 900xxx are reserved for drama and never valid, and invalid numbers never link.
 * The demo customers' own numbers are kept out so nobody else can be given them.
 */
function validMobilePrefixes(): string[] {
  if (mobilePrefixes) return mobilePrefixes;
  const reserved = new Set(["74123", "78312", "79111"]);
  const out: string[] = [];
  for (const block of ["74", "75", "77", "78", "79"]) {
    for (let n = 0; n < 1000; n++) {
      const prefix = block + String(n).padStart(3, "0");
      if (reserved.has(prefix)) continue;
      if (normalizePhone(`0${prefix}00000`, "GB") && normalizePhone(`0${prefix}99999`, "GB")) out.push(prefix);
    }
  }
  mobilePrefixes = out;
  return out;
}

/**
 * A mobile number (national, without the 0) unique to person n: n is scattered over all prefixes and
 * suffixes by a multiplier coprime with their count, a bijection for any realistic n.
 */
export function mobileOf(n: number): string {
  const prefixes = validMobilePrefixes();
  const numbers = prefixes.length * 100_000;
  // 2^31 - 1 is prime, so coprime with the count; reduced first so the product stays exact.
  const x = (n * (2_147_483_647 % numbers) + 12_345) % numbers;
  return prefixes[Math.floor(x / 100_000)] + String(x % 100_000).padStart(5, "0");
}

/** The ways the same mobile number gets typed at the till, online, in the app and at loyalty sign-up. */
const MOBILE_FORMATS = {
  pos: [
    (m: string) => `0${m.slice(0, 4)} ${m.slice(4)}`,
    (m: string) => m,
    (m: string) => `(0${m.slice(0, 4)}) ${m.slice(4, 7)}-${m.slice(7)}`,
    (m: string) => `0${m}`,
    (m: string) => `0${m.slice(0, 4)} ${m.slice(4, 7)} ${m.slice(7)}`,
  ],
  ecom: [(m: string) => `+44 ${m.slice(0, 4)} ${m.slice(4)}`, (m: string) => `+44${m}`, (m: string) => `0${m.slice(0, 4)} ${m.slice(4)}`],
  app: [(m: string) => `+44${m}`],
  loyalty: [(m: string) => `0${m}`, (m: string) => `0${m.slice(0, 4)} ${m.slice(4)}`],
};

/** How an associate keys a loyalty card number in by hand. */
const CARD_FORMATS = [
  (c: string) => c,
  (c: string) => c.toLowerCase(),
  (c: string) => `${c.slice(0, 2)} ${c.slice(2, 6)} ${c.slice(6)}`,
  (c: string) => `${c.slice(0, 2)}-${c.slice(2, 6)}-${c.slice(6, 10)}-${c.slice(10)}`.toLowerCase(),
  (c: string) => c.slice(2),
];

export type ValueSegment = "light" | "regular" | "loyal" | "vip";

export type Person = {
  n: number;
  female: boolean;
  firstName: string;
  lastName: string;
  birthDate: string;
  store: StoreSpec;
  city: string;
  postcode: string;
  address: string;
  mobile: string;
  /** A home landline, shared with the rest of the household. */
  landline: string | null;
  email: string | null;
  loyaltyId: string | null;
  segment: ValueSegment;
  sizes: Record<SizeScheme, string | null>;
  /** The fashion department the person mostly buys from; gifts come from the other. */
  fashion: "womenswear" | "menswear";
  affinity: Weighted<Department>;
  has: { pos: boolean; ecom: boolean; loyalty: boolean; app: boolean };
  consents: { email: boolean; sms: boolean; post: boolean };
};

const stores = new Weighted(STORES.map((s) => [s, s.share] as const));
const catchments = Object.fromEntries(
  STORES.map((s) => {
    const places = TOWNS.filter(([store]) => store === s.code).map(([, city, weight, districts]): Place => ({ city, districts: districts.split(" "), weight }));
    return [s.code, new Weighted(places.map((p) => [p, p.weight] as const))];
  }),
) as Record<StoreCode, Weighted<Place>>;
const segments = Weighted.of<ValueSegment>({ light: 55, regular: 33, loyal: 10, vip: 2 });
const womensAffinity = Weighted.of<Department>({ womenswear: 62, accessories: 14, home: 20, menswear: 4 });
const mensAffinity = Weighted.of<Department>({ menswear: 62, accessories: 10, home: 18, womenswear: 10 });
const homeLoverAffinity = Weighted.of<Department>({ home: 60, accessories: 15, womenswear: 15, menswear: 10 });

/** Preferred sizes: the middle of each range most often. */
function sizesFor(random: Random): Record<SizeScheme, string | null> {
  const pick = (scheme: SizeScheme) => {
    const sizes: readonly (string | null)[] = SIZE_SCHEMES[scheme];
    const centre = (sizes.length - 1) / 2;
    const i = Math.round(Math.min(sizes.length - 1, Math.max(0, random.normal(centre, sizes.length / 4))));
    return sizes[i];
  };
  return {
    letter: pick("letter"),
    mensLetter: pick("mensLetter"),
    dress: pick("dress"),
    waist: pick("waist"),
    womensShoe: pick("womensShoe"),
    mensShoe: pick("mensShoe"),
    belt: pick("belt"),
    bedding: random.chance(0.6) ? "Double" : "King",
    one: null,
  };
}

function birthDateFor(random: Random): string {
  const age = Math.round(Math.min(86, Math.max(18, random.normal(44, 14))));
  return utcDay(REFERENCE_NOW - age * 365.25 * DAY_MS - random.int(0, 364) * DAY_MS);
}

function postcodeIn(random: Random, place: Place): string {
  return `${random.pick(place.districts)} ${random.int(1, 9)}${random.pick(INWARD_LETTERS)}${random.pick(INWARD_LETTERS)}`;
}

function emailFor(random: Random, first: string, last: string, n: number): string {
  const f = plain(first);
  const l = plain(last);
  // The person number keeps every address unique, so two demo people never share one by accident.
  const local = random.pick([`${f}.${l}${n}`, `${f}${l}${n}`, `${f[0]}${l}${n}`, `${f}_${l}${n}`, `${l}.${f}${n}`]);
  return `${local}@${random.pick(EMAIL_DOMAINS)}`;
}

/** Name as an email local part: ASCII letters only. */
function plain(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
}

/** The landline of household h: unique to it (a bijection of h), so two households never share one. */
function landlineOf(h: number, store: StoreSpec): string {
  const { code, first } = AREA_CODES[store.code];
  const rest = code.length === 3 ? 7 : 6;
  const digits = first[h % first.length] + String((h * 7_919 + 1_234) % 10 ** rest).padStart(rest, "0");
  return code.length === 3 ? `${code} ${digits.slice(0, 4)} ${digits.slice(4)}` : `${code} ${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/**
 * An endless, lazy stream of people: each is drawn when asked for, so a million cost no more memory
 * than one. A household is two people drawn one after the other who share a surname, an address and
 * a landline.
 */
export class PeopleStream {
  private partnerOf: Person | null = null;
  private households = 0;

  constructor(
    private readonly random: Random,
    private nextNumber: number,
  ) {}

  next(): Person {
    const partnerOf = this.partnerOf;
    this.partnerOf = null;
    const person = this.draw(this.nextNumber++, partnerOf);
    if (!partnerOf && this.random.chance(0.01)) {
      person.landline = landlineOf(this.households++, person.store);
      person.has.pos = true;
      this.partnerOf = person;
    }
    return person;
  }

  private draw(n: number, partnerOf: Person | null): Person {
    const random = this.random;
    const female = partnerOf ? !partnerOf.female || random.chance(0.1) : random.chance(0.62);
    const store = partnerOf?.store ?? stores.draw(random);
    const place = catchments[store.code].draw(random);
    const firstName = random.pick(female ? FEMALE_NAMES : MALE_NAMES);
    const lastName = partnerOf && random.chance(0.7) ? partnerOf.lastName : random.pick(LAST_NAMES);
    const email = random.chance(0.88) ? emailFor(random, firstName, lastName, n) : null;
    const loyalty = random.chance(0.6);
    let pos = random.chance(0.7) || partnerOf !== null;
    let ecom = email !== null && random.chance(0.55);
    if (!pos && !ecom) {
      if (email !== null && random.chance(0.5)) ecom = true;
      else pos = true;
    }
    const fashion = female ? "womenswear" : "menswear";
    return {
      n,
      female,
      firstName,
      lastName,
      birthDate: birthDateFor(random),
      store,
      city: partnerOf?.city ?? place.city,
      postcode: partnerOf?.postcode ?? postcodeIn(random, place),
      address: partnerOf?.address ?? `${random.int(1, 180)} ${random.pick(STREETS)}`,
      mobile: mobileOf(n),
      landline: partnerOf?.landline ?? null,
      email,
      loyaltyId: loyalty ? loyaltyIdOf(n) : null,
      segment: segments.draw(random),
      sizes: sizesFor(random),
      fashion,
      affinity: random.chance(0.08) ? homeLoverAffinity : female ? womensAffinity : mensAffinity,
      has: { pos, ecom, loyalty, app: email !== null && random.chance(ecom ? 0.45 : 0.15) },
      consents: { email: random.chance(0.55), sms: random.chance(0.3), post: random.chance(0.2) },
    };
  }
}

const TIERS: Record<ValueSegment, string[]> = {
  light: ["Bronze"],
  regular: ["Bronze", "Silver"],
  loyal: ["Silver", "Gold"],
  vip: ["Gold"],
};

/** A name as keyed at a busy till: now and then a slip of the finger or the caps lock. */
function tillName(random: Random, name: string): string {
  const r = random.next();
  if (r < 0.03 && name.length > 3) {
    const i = random.int(1, name.length - 2);
    return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
  }
  if (r < 0.045 && name.length > 3) {
    const i = random.int(1, name.length - 1);
    return name.slice(0, i) + name.slice(i + 1);
  }
  if (r < 0.065) return name.toUpperCase();
  if (r < 0.08) return name.toLowerCase();
  return name;
}

/** An address as typed into a web form: sometimes capitalised, sometimes padded with spaces. */
function typedEmail(random: Random, email: string): string {
  let out = email;
  if (random.chance(0.3)) out = out.replace(/(^|[._@])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
  if (random.chance(0.12)) out = ` ${out} `;
  return out;
}

function someConsents(random: Random, person: Person, channels: readonly ("email" | "sms" | "post")[]): Record<string, boolean> | null {
  if (random.chance(0.25)) return null;
  const out: Record<string, boolean> = {};
  for (const channel of channels) {
    if (random.chance(0.8)) out[channel] = random.chance(0.15) ? !person.consents[channel] : person.consents[channel];
  }
  return out;
}

function updatedAt(random: Random): number {
  return HISTORY_START + random.int(0, Math.floor((REFERENCE_NOW - HISTORY_START) / 60_000)) * 60_000;
}

export const SOURCE_KEYS = {
  pos: (p: Person) => `${p.store.code}-${String(p.n).padStart(7, "0")}`,
  ecom: (p: Person) => `C${String(p.n + 40_000_000).padStart(9, "0")}`,
  loyalty: (p: Person) => `M${String(p.n).padStart(8, "0")}`,
  // A scrambled, unique hexadecimal ID, like the app's own user IDs.
  app: (p: Person) => `u-${(Math.imul(p.n, 0x9e3779b1) >>> 0).toString(16).padStart(8, "0")}`,
};

/**
 * What each source system knows about a person, with the noise of real systems: phones typed in
 * every format, placeholders for "no email", the store's own number for walk-ins, typos, gaps.
 */
export function recordsOf(random: Random, person: Person): CustomerRecordInput[] {
  const out: CustomerRecordInput[] = [];
  const { mobile, email, loyaltyId, store } = person;
  if (person.has.pos) {
    let phone: string | null = person.landline ?? random.pick(MOBILE_FORMATS.pos)(mobile);
    const noise = random.next();
    if (noise < 0.04) phone = null;
    else if (noise < 0.05) phone = random.pick(PLACEHOLDER_PHONES);
    else if (noise < 0.06) phone = store.phone;
    let tillEmail: string | null = null;
    if (random.chance(0.04)) tillEmail = random.pick(PLACEHOLDER_EMAILS);
    else if (email && random.chance(0.35)) tillEmail = random.chance(0.5) ? email.toUpperCase() : email;
    let card: string | null = null;
    if (loyaltyId && random.chance(0.7)) card = random.pick(CARD_FORMATS)(loyaltyId);
    else if (!loyaltyId && random.chance(0.005)) card = SPARE_TILL_CARD;
    out.push({
      source: "pos",
      sourceCustomerId: SOURCE_KEYS.pos(person),
      firstName: tillName(random, person.firstName),
      lastName: tillName(random, person.lastName),
      phone,
      email: tillEmail,
      loyaltyId: card,
      postcode: random.chance(0.6) ? person.postcode : null,
      city: random.chance(0.5) ? person.city : null,
      consents: someConsents(random, person, ["sms", "post", "email"]),
      updatedAt: updatedAt(random),
    });
    // Now and then a second till account for the same person at another store, with nothing that links it.
    if (random.chance(0.02)) {
      const other = STORES[(STORES.indexOf(store) + random.int(1, STORES.length - 1)) % STORES.length];
      out.push({
        source: "pos",
        sourceCustomerId: `${other.code}-${String(person.n).padStart(7, "0")}`,
        firstName: person.firstName,
        lastName: tillName(random, person.lastName),
        phone: random.chance(0.5) ? `0${mobile.slice(0, 9)}` : null,
        postcode: person.postcode,
        updatedAt: updatedAt(random),
      });
    }
  }
  if (person.has.ecom && email) {
    out.push({
      source: "ecom",
      sourceCustomerId: SOURCE_KEYS.ecom(person),
      firstName: random.chance(0.06) ? person.firstName.toLowerCase() : person.firstName,
      lastName: random.chance(0.06) ? person.lastName.toLowerCase() : person.lastName,
      email: typedEmail(random, email),
      phone: random.chance(0.7) ? random.pick(MOBILE_FORMATS.ecom)(mobile) : null,
      address: person.address,
      postcode: person.postcode,
      city: person.city,
      country: "GB",
      birthDate: random.chance(0.25) ? person.birthDate : null,
      consents: someConsents(random, person, ["email", "sms"]),
      updatedAt: updatedAt(random),
    });
  }
  if (person.has.loyalty && loyaltyId) {
    // Sign-up asks for an email or a phone number, so a card is rarely all the programme knows.
    const withEmail = email !== null && random.chance(0.85);
    const withPhone = !withEmail || random.chance(0.55);
    out.push({
      source: "loyalty",
      sourceCustomerId: SOURCE_KEYS.loyalty(person),
      firstName: person.firstName,
      lastName: person.lastName,
      loyaltyId,
      email: withEmail ? email : null,
      phone: withPhone ? random.pick(MOBILE_FORMATS.loyalty)(mobile) : null,
      birthDate: random.chance(0.75) ? person.birthDate : null,
      postcode: person.postcode,
      tier: random.pick(TIERS[person.segment]),
      consents: someConsents(random, person, ["email", "sms", "post"]),
      updatedAt: updatedAt(random),
    });
  }
  if (person.has.app && email) {
    out.push({
      source: "app",
      sourceCustomerId: SOURCE_KEYS.app(person),
      firstName: person.firstName,
      lastName: random.chance(0.5) ? person.lastName : null,
      email,
      phone: random.chance(0.3) ? MOBILE_FORMATS.app[0](mobile) : null,
      consents: someConsents(random, person, ["email"]),
      updatedAt: updatedAt(random),
    });
  }
  return out;
}

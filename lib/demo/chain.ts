import type { Role } from "@/db/schema";

/** The source systems of the demo chain. Lower trust rank wins survivorship. */
export const SOURCES = [
  { name: "pos", label: "Store till", trustRank: 30 },
  { name: "ecom", label: "Online shop", trustRank: 20 },
  { name: "app", label: "Mobile app", trustRank: 25 },
  { name: "loyalty", label: "Loyalty programme", trustRank: 10 },
  { name: "crm", label: "CRM", trustRank: 40 },
] as const;

export type StoreCode = "LDN" | "LDS" | "MAN" | "EDI" | "BRS" | "BHM";

export type StoreSpec = {
  code: StoreCode;
  name: string;
  city: string;
  /** Ofcom's drama ranges: real-looking, valid, and nobody's actual number. */
  phone: string;
  /** Share of the chain's customers who call this store home. */
  share: number;
  /** Share of the catalogue's styles the store ranges. */
  breadth: number;
};

export const STORES: readonly StoreSpec[] = [
  { code: "LDN", name: "London Regent St", city: "London", phone: "020 7946 0321", share: 30, breadth: 0.95 },
  { code: "LDS", name: "Leeds Briggate", city: "Leeds", phone: "0113 496 0217", share: 13, breadth: 0.72 },
  { code: "MAN", name: "Manchester King St", city: "Manchester", phone: "0161 496 0458", share: 18, breadth: 0.8 },
  { code: "EDI", name: "Edinburgh George St", city: "Edinburgh", phone: "0131 496 0672", share: 12, breadth: 0.7 },
  { code: "BRS", name: "Bristol Cabot Circus", city: "Bristol", phone: "0117 496 0135", share: 12, breadth: 0.68 },
  { code: "BHM", name: "Birmingham Colmore Row", city: "Birmingham", phone: "0121 496 0894", share: 15, breadth: 0.75 },
];

export type StaffSpec = { email: string; name: string; role: Role; store: StoreCode | null; password: string; pin: string | null };

/** The demo sign-ins, named in the README and the end-to-end tests. */
export const STAFF: readonly StaffSpec[] = [
  { email: "associate@demo.clientele", name: "Sam Patel", role: "associate", store: "LDN", password: "demo-associate", pin: "1234" },
  { email: "manager@demo.clientele", name: "Morgan Lee", role: "manager", store: "LDN", password: "demo-manager", pin: null },
  { email: "hq@demo.clientele", name: "Harper Quinn", role: "hq", store: null, password: "demo-hq", pin: null },
  { email: "associate.leeds@demo.clientele", name: "Jordan Hughes", role: "associate", store: "LDS", password: "demo-associate", pin: "2345" },
  { email: "manager.leeds@demo.clientele", name: "Alex Morgan", role: "manager", store: "LDS", password: "demo-manager", pin: null },
];

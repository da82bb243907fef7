import { z } from "zod";

/** The longest town or city the narrowing takes: longer than any real place name, short enough to refuse a paste of something else. */
export const MAX_CITY_LENGTH = 80;
export const EARLIEST_BIRTH_YEAR = 1900;

/** Said beside the field: the latest year is this year, worked out when the message is needed. */
export function birthYearMessage(now = new Date()): string {
  return `Type a year from ${EARLIEST_BIRTH_YEAR} to ${now.getFullYear()}.`;
}

/**
 * What an assistant can ask to narrow a common name, as typed into the lookup's narrowing fields:
 * the town or city, the year of birth, the last digits of the phone. Each message is written to be
 * shown under its field's label (so it is short: the label says what the field is), so an
 * associate sees which detail to correct.
 */
export const nameFilterFields = {
  city: z.string().trim().max(MAX_CITY_LENGTH, `Type at most ${MAX_CITY_LENGTH} characters.`).optional(),
  birthYear: z
    .string()
    .trim()
    .regex(/^\d{4}$/, { error: () => birthYearMessage() })
    .transform(Number)
    .refine((year) => year >= EARLIEST_BIRTH_YEAR && year <= new Date().getFullYear(), { error: () => birthYearMessage() })
    .optional(),
  phoneEnd: z
    .string()
    .trim()
    .regex(/^\d{2,6}$/, "Type 2 to 6 digits.")
    .optional(),
};

export type NameFilterField = keyof typeof nameFilterFields;

/** The narrowing as the tablet sends it: each field's text, left out when blank. */
export type NameFilterText = { [K in NameFilterField]?: string };

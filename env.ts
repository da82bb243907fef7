import { hkdfSync } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";

/**
 * The reverse proxies whose X-Forwarded-For may be believed, as IP addresses separated by commas.
 * Empty (the default): nobody's; the address is the connection's own.
 */
export const trustedProxiesSchema = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every((ip) => isIP(ip) !== 0), "TRUSTED_PROXIES must be IP addresses separated by commas");

const envSchema = z.object({
  DATABASE_PATH: z.string().min(1).default("data/clientele.db"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (npm start generates one)"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  TRUSTED_PROXIES: trustedProxiesSchema,
  /** Keys the hashes of searched values kept in the audit log; defaults to one derived from AUTH_SECRET. */
  AUDIT_HASH_SECRET: z.string().min(32, "AUDIT_HASH_SECRET must be at least 32 characters").optional(),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Validated once, on first use; a bad environment fails loudly here rather than deep inside a request. */
export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** The key for hashes of searched values in the audit log: its own secret if set, else one derived from AUTH_SECRET. */
export function auditHashKey(): string {
  const { AUDIT_HASH_SECRET, AUTH_SECRET } = env();
  return AUDIT_HASH_SECRET ?? Buffer.from(hkdfSync("sha256", AUTH_SECRET, "", "clientele audit searched values", 32)).toString("base64url");
}

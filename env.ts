import { z } from "zod";

const envSchema = z.object({
  DATABASE_PATH: z.string().min(1).default("data/clientele.db"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (npm start generates one)"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
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

/**
 * Calling server actions over HTTP the way the browser does, for the authorisation matrix and the
 * adversarial suite: action IDs from the production build's manifest, arguments encoded as React
 * encodes them, the result read back from the RSC stream.
 */
import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";

/** Form actions take (previous state, FormData); sent as multipart the way React encodes them. */
export const form = (state: unknown, fields: Record<string, string>) => ({ form: true as const, state, fields });

type ManifestEntry = { filename: string; exportedName: string; workers: Record<string, unknown> };

export function manifestActions(): Map<string, { id: string; page: string }> {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, ManifestEntry> };
  return new Map(
    Object.entries(manifest.node).map(([id, entry]) => {
      // Any page that imports the action will run it: "app/(app)/customers/[id]/page" → "/customers/1".
      const worker = Object.keys(entry.workers)[0];
      const page =
        worker
          .replace(/^app/, "")
          .replace(/\/page$/, "")
          .replace(/\/\([^)]+\)/g, "")
          .replace(/\[[^\]]+\]/g, "1") || "/";
      return [`${entry.filename}#${entry.exportedName}`, { id, page }];
    }),
  );
}

/**
 * What the caller sends: JSON arguments, or multipart as React's encodeReply writes a FormData
 * argument: its fields under "_1_", then the arguments ("0") naming it "$K1". The order matters:
 * the server decodes as the parts stream in, so the fields must come before the arguments.
 */
export function actionBody(args: unknown[]): { data?: string; multipart?: FormData; headers: Record<string, string> } {
  const formArg = args.find((a): a is ReturnType<typeof form> => typeof a === "object" && a !== null && "form" in a);
  if (!formArg) return { data: JSON.stringify(args), headers: { "Content-Type": "text/plain;charset=UTF-8" } };
  const multipart = new FormData();
  for (const [k, v] of Object.entries(formArg.fields)) multipart.append(`_1_${k}`, v);
  multipart.append("0", JSON.stringify([formArg.state, "$K1"]));
  return { multipart, headers: {} };
}

/** The action's return value from the RSC stream: row 1 holds it for a call from a client component. */
export function actionResult(text: string): unknown {
  for (const line of text.split("\n")) {
    const m = /^1:(.*)$/.exec(line);
    if (m) {
      try {
        return JSON.parse(m[1]);
      } catch {
        return m[1];
      }
    }
  }
  return undefined;
}

/** Calls an action by "<file>#<exportedName>" as the given request context's caller. */
export async function callAction(http: APIRequestContext, key: string, args: unknown[], headers: Record<string, string> = {}) {
  const action = manifestActions().get(key);
  if (!action) throw new Error(`no action ${key} in the build`);
  const body = actionBody(args);
  const res = await http.post(action.page, {
    headers: { "Next-Action": action.id, Accept: "text/x-component", ...body.headers, ...headers },
    data: body.data,
    multipart: body.multipart,
  });
  const text = await res.text();
  return {
    status: res.status(),
    text,
    result: actionResult(text) as { ok?: boolean; code?: string; message?: string; data?: unknown; error?: string | null } | undefined,
  };
}

import { ApiKeyCreate, ApiKeyRevoke } from "@/components/hq/api-keys";
import { HqNav } from "@/components/hq/hq-nav";
import { formatDate } from "@/components/ui/format";
import { withDb } from "@/lib/actions/app-db";
import { listApiKeys } from "@/lib/api/keys";
import { requireStaff } from "@/lib/actions/session";
import { loadSources } from "@/lib/identity/settings";

export const metadata = { title: "API keys" };

const SCOPE_LABELS = { ingest: "Send data", lookup: "Look up customers" } as const;

export default async function ApiKeysPage() {
  await requireStaff(["hq"]);
  const sources = [...withDb(loadSources).values()].sort((a, b) => a.label.localeCompare(b.label));
  const keys = withDb(listApiKeys);
  return (
    <div className="flex flex-col gap-5">
      <HqNav current="/hq/api-keys" />
      <h1 className="text-2xl font-bold">API keys</h1>
      <p className="max-w-3xl text-stone-700">
        Source systems send customers, orders, products, stock and browsing to <code>/api/v1</code> with a key of scope &ldquo;send data&rdquo;; a till looks
        customers up with a key of scope &ldquo;look up customers&rdquo;. A key is shown once, when it is created: only a fingerprint of it is stored.
      </p>
      <ApiKeyCreate sources={sources.map((s) => ({ id: s.id, label: s.label }))} />
      {sources.map((source) => {
        const own = keys.filter((k) => k.sourceName === source.name);
        return (
          <section key={source.id} aria-label={`${source.label} keys`} className="flex flex-col gap-3 rounded-3xl bg-white p-5 ring-1 ring-stone-200">
            <h2 className="text-lg font-semibold">{source.label}</h2>
            {own.length === 0 ? (
              <p className="text-stone-600">No keys.</p>
            ) : (
              <ul className="flex flex-col divide-y divide-stone-200">
                {own.map((k) => (
                  <li key={k.id} aria-label={k.name} data-testid="api-key-row" className="flex flex-wrap items-center justify-between gap-3 py-3">
                    <div className="flex flex-col">
                      <span className="font-semibold">{k.name}</span>
                      <span className="text-sm text-stone-600">
                        <code>{k.prefix}…</code> · {SCOPE_LABELS[k.scope]} · created {formatDate(k.createdAt)} ·{" "}
                        {k.lastUsedAt ? `last used ${formatDate(k.lastUsedAt)}` : "never used"}
                      </span>
                    </div>
                    {k.revokedAt ? (
                      <span className="rounded-full bg-stone-200 px-3 py-1 text-sm font-semibold text-stone-700">Revoked {formatDate(k.revokedAt)}</span>
                    ) : (
                      <ApiKeyRevoke id={k.id} name={k.name} />
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

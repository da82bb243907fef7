/**
 * `npm run import`: loads a source system's customer export (CSV or JSON lines) into the profile
 * store through the same ingest code as the API. `--help` prints the options.
 */
import fs from "node:fs";
import { z } from "zod";
import { analyse } from "@/db/maintenance";
import { type ImportProgress, type ImportSummary, dryRunImport, ensureSource, importFile, readMapping } from "@/lib/identity/import";
import { INGEST_KINDS, mappableFields } from "@/lib/ingest/schemas";
import { UsageError, runCli } from "./cli";

const USAGE = `tsx scripts/import.ts --source <name> --kind ${INGEST_KINDS.join("|")} <file.csv|file.jsonl>
    [--mapping mapping.json] [--db file] [--create-source [--label "Online shop"] [--trust-rank 100]]
    [--batch-size 1000] [--dry-run] [--path auto|bulk|incremental]
  --path (customers): bulk resolves the whole file in memory with the same rules and writes it in
    one transaction, indexes built after the rows (all or nothing; other writers wait for it);
    incremental writes record by record in short transactions. auto (the default) takes bulk when
    the store holds no customer records, or at most four times as many as the file.
  --path (orders): bulk checks every order as it is read and writes them all at the end in one
    transaction; auto takes it unless a suggestion waits for a purchase to credit.
  --dry-run imports into a copy of the database and reports what would change; nothing is written
    to the database itself (its rejects go to <file>.dry-run.rejects.csv). The copy is made next to
    the database and deleted at the end: it needs as much free disk as the database takes.
  The mapping maps our fields to the file's columns:
    {"trim": true, "fields": {"sourceCustomerId": "id", "address": ["street_number", "street"]}}.
  Without one, the columns (or JSON keys) carry our field names. Fields per kind:
${INGEST_KINDS.map((k) => `    ${k}: ${mappableFields(k).join(", ")}${k === "customers" ? ", consents.<channel>" : ""}`).join("\n")}
  Orders: one JSON line per order with "lines": [{sku, quantity, unitPrice}], or one CSV row per
  order line (columns for lines.sku, lines.quantity, lines.unitPrice), an order's rows together.
  Products are keyed by SKU, inventory by store code + SKU, the rest by the source's own ID.
  Rejected rows go to <file>.rejects.csv with line, field and reason.`;

const argsSchema = z.object({
  source: z.string().min(1, "--source is required"),
  kind: z.enum(INGEST_KINDS, { error: `--kind must be one of ${INGEST_KINDS.join(", ")}` }),
  file: z.string().min(1, "give the file to import"),
  mapping: z.string().optional(),
  createSource: z.boolean(),
  label: z.string().optional(),
  trustRank: z.coerce.number().int().min(0).optional(),
  batchSize: z.coerce.number().int().min(1).max(100_000).default(1000),
  dryRun: z.boolean(),
  path: z.enum(["auto", "bulk", "incremental"], { error: "--path must be auto, bulk or incremental" }).default("auto"),
});

function formatSummary(s: ImportSummary, seconds: number): string {
  const n = (v: number) => v.toLocaleString("en-GB");
  return [
    `read ${n(s.read)} rows of ${s.kind} in ${seconds.toFixed(1)} s (${n(Math.round(s.read / Math.max(seconds, 1e-9)))}/s)`,
    `  path: ${s.path.taken} (${s.path.why})`,
    `  inserted ${n(s.inserted)}, updated ${n(s.updated)}, unchanged ${n(s.unchanged)}, rejected ${n(s.rejected)}`,
    `  profiles created ${n(s.profilesCreated)}, merges ${n(s.merges)}, review items ${n(s.reviewItems)}`,
    ...(s.rejectsFile ? [`  rejects: ${s.rejectsFile}`] : []),
  ].join("\n");
}

function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  // The first line after a full interval of importing, not at once (performance.now() counts from process start).
  let shownAt = started;
  return (p: ImportProgress) => {
    const now = performance.now();
    if (now - shownAt < (stream.isTTY ? 250 : 5000)) return;
    shownAt = now;
    const seconds = (now - started) / 1000;
    const share = p.totalBytes > 0 ? p.bytesRead / p.totalBytes : 0;
    const eta = share > 0 && share < 1 ? `, ETA ${Math.round((seconds * (1 - share)) / share)} s` : "";
    const line = `${p.read.toLocaleString("en-GB")} rows (${(share * 100).toFixed(1)}%), ${Math.round(p.read / Math.max(seconds, 1e-9)).toLocaleString("en-GB")}/s, ${p.rejected} rejected${eta}`;
    stream.write(stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  };
}

runCli(import.meta.url, {
  usage: USAGE,
  positionals: true,
  options: {
    source: { type: "string" },
    kind: { type: "string" },
    mapping: { type: "string" },
    "create-source": { type: "boolean", default: false },
    label: { type: "string" },
    "trust-rank": { type: "string" },
    "batch-size": { type: "string" },
    "dry-run": { type: "boolean", default: false },
    path: { type: "string" },
  },
  async run({ values, positionals, file, db: open }) {
    const parsed = argsSchema.safeParse({
      source: values.source,
      kind: values.kind,
      file: positionals[0],
      mapping: values.mapping,
      createSource: values["create-source"],
      label: values.label,
      trustRank: values["trust-rank"],
      batchSize: values["batch-size"],
      dryRun: values["dry-run"],
      path: values.path,
    });
    if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
    const args = parsed.data;
    if (!fs.existsSync(args.file)) throw new UsageError(`No such file: ${args.file}`);
    const mapping = args.mapping ? readMapping(args.mapping, args.kind) : undefined;
    const db = open();
    const source = { name: args.source, label: args.label, trustRank: args.trustRank };
    const started = performance.now();
    const report = progressReporter();
    const options = { kind: args.kind, source: args.source, file: args.file, mapping, batchSize: args.batchSize, onProgress: report, path: args.path };
    if (!args.dryRun) {
      ensureSource(db, source, args.createSource);
      const summary = await importFile(db, options);
      analyse(db);
      if (process.stderr.isTTY) process.stderr.write("\n");
      console.log(formatSummary(summary, (performance.now() - started) / 1000));
      return;
    }
    if (!args.createSource) ensureSource(db, source, false);
    const dry = await dryRunImport(db, {
      ...options,
      rejectsFile: `${args.file}.dry-run.rejects.csv`,
      // The source to create is created in the copy only.
      beforeImport: (copy) => ensureSource(copy, source, args.createSource),
      onCopy: (share) => process.stderr.isTTY && process.stderr.write(`\rcopying the database for the dry run: ${(share * 100).toFixed(0)}%\x1b[K`),
    });
    if (process.stderr.isTTY) process.stderr.write("\n");
    console.log(`Dry run: nothing was written to ${file}. The import would have:`);
    console.log(formatSummary(dry, (performance.now() - started) / 1000));
    if (dry.sampleMerges.length) console.log(`  first merges:\n${dry.sampleMerges.map((m) => `    - ${m}`).join("\n")}`);
    if (dry.sampleReviewItems.length) console.log(`  first review items:\n${dry.sampleReviewItems.map((r) => `    - ${r}`).join("\n")}`);
  },
});

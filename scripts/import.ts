/**
 * `npm run import`: loads source systems' exports (CSV or JSON lines) into the profile store through
 * the same ingest code as the API, one file or several in one run. `--help` prints the options.
 */
import fs from "node:fs";
import { z } from "zod";
import { analyse } from "@/db/maintenance";
import {
  type ImportInput,
  type ImportMapping,
  type ImportProgress,
  type ImportSummary,
  dryRunImport,
  ensureSource,
  importFiles,
  readMapping,
} from "@/lib/identity/import";
import { INGEST_KINDS, mappableFields } from "@/lib/ingest/schemas";
import { type Cli, UsageError, runCli } from "./cli";

const USAGE = `tsx scripts/import.ts --kind ${INGEST_KINDS.join("|")} --source <name> [--mapping mapping.json] <file.csv|file.jsonl>
    [--source <name> [--mapping mapping.json] <file> ...]
    [--db file] [--create-source [--label "Online shop"] [--trust-rank 100]]
    [--batch-size 1000] [--dry-run] [--path auto|bulk|incremental]
  Several files in one run, in the order given, each after its own --source (and --mapping if it
  needs one):
    --kind customers --source loyalty loyalty.jsonl --source ecom --mapping shop.json shop.csv
  With one file, --source and --mapping may come anywhere. --create-source creates every source
  missing; --label and --trust-rank go with one source.
  --path (customers): bulk resolves the files' records in memory with the same rules and writes
    them in one transaction, indexes built after the rows (all or nothing, every file of the run;
    other writers wait for it); several files in one run read the store once and write once, the
    same store as one run per file, sooner. incremental writes record by record in short
    transactions, file after file. auto (the default) takes bulk when the store holds no customer
    records, or at most four times as many as the files of the run.
  --path (orders): bulk checks every order as it is read and writes a file's orders at the end in
    one transaction; auto takes it unless a suggestion waits for a purchase to credit.
  --dry-run imports into a copy of the database and reports what would change; nothing is written
    to the database itself (its rejects go to <file>.dry-run.rejects.csv). The copy is made next to
    the database and deleted at the end: it needs as much free disk as the database takes.
  The mapping maps our fields to the file's columns:
    {"trim": true, "fields": {"sourceCustomerId": "id", "address": ["street_number", "street"]}}.
  Without one, the columns (or JSON keys) carry our field names. Fields per kind:
${INGEST_KINDS.map((k) => `    ${k}: ${mappableFields(k).join(", ")}`).join("\n")}
  Orders: one JSON line per order with "lines": [{sku, quantity, unitPrice}], or one CSV row per
  order line (columns for lines.sku, lines.quantity, lines.unitPrice), an order's rows together.
  Products are keyed by SKU, inventory by store code + SKU, the rest by the source's own ID.
  Rejected rows go to <file>.rejects.csv with line, field and reason; the summary is per file.`;

const argsSchema = z.object({
  files: z
    .array(z.object({ source: z.string({ error: "--source is required" }).min(1, "--source is required"), file: z.string(), mapping: z.string().optional() }))
    .min(1, "give the file to import"),
  kind: z.enum(INGEST_KINDS, { error: `--kind must be one of ${INGEST_KINDS.join(", ")}` }),
  createSource: z.boolean(),
  label: z.string().optional(),
  trustRank: z.coerce.number().int().min(0).optional(),
  batchSize: z.coerce.number().int().min(1).max(100_000).default(1000),
  dryRun: z.boolean(),
  path: z.enum(["auto", "bulk", "incremental"], { error: "--path must be auto, bulk or incremental" }).default("auto"),
});

type FileArg = { source?: string; file: string; mapping?: string };

/**
 * The files of the command line, each with the --source and --mapping given between it and the file
 * before; with one file they may come anywhere (\`file.csv --source pos\`, as the importer always took them).
 */
function filesOf(tokens: Cli<typeof OPTIONS>["tokens"]): FileArg[] {
  const given = (name: string) => tokens.flatMap((t) => (t.kind === "option" && t.name === name && t.value !== undefined ? [t.value] : []));
  const files = tokens.filter((t) => t.kind === "positional").map((t) => t.value);
  if (files.length <= 1) {
    const [sources, mappings] = [given("source"), given("mapping")];
    if (sources.length > 1 || mappings.length > 1) throw new UsageError("Give one --source (and at most one --mapping) per file.");
    return files.map((file) => ({ file, source: sources[0], mapping: mappings[0] }));
  }
  const out: FileArg[] = [];
  let next: Omit<FileArg, "file"> = {};
  for (const t of tokens) {
    if (t.kind === "positional") {
      if (!next.source) throw new UsageError(`Give --source before ${t.value}: with several files, each follows its own --source.`);
      out.push({ ...next, file: t.value });
      next = {};
    } else if (t.kind === "option" && (t.name === "source" || t.name === "mapping")) {
      if (next[t.name] !== undefined) throw new UsageError(`--${t.name} is given twice before ${files[out.length]}.`);
      next[t.name] = t.value;
    }
  }
  if (next.source || next.mapping) throw new UsageError("--source and --mapping go before the file they are for; the last file has none after it.");
  return out;
}

const n = (v: number) => v.toLocaleString("en-GB");

/** What became of one file's rows. */
function details(s: ImportSummary, indent: string): string[] {
  return [
    ...(s.read === 0 ? ["the file holds no rows: nothing was imported (is it the right file?)"] : []),
    `path: ${s.path.taken} (${s.path.why})`,
    `inserted ${n(s.inserted)}, updated ${n(s.updated)}, unchanged ${n(s.unchanged)}, rejected ${n(s.rejected)}`,
    `profiles created ${n(s.profilesCreated)}, merges ${n(s.merges)}, review items ${n(s.reviewItems)}`,
    ...(s.rejectsFile ? [`rejects: ${s.rejectsFile}`] : []),
  ].map((line) => indent + line);
}

/** The run's rate, then each file's figures (one file: as the importer always printed them). */
function formatSummaries(summaries: ImportSummary[], inputs: ImportInput[], seconds: number): string {
  const read = summaries.reduce((sum, s) => sum + s.read, 0);
  const files = summaries.length > 1 ? ` from ${summaries.length} files` : "";
  const head = `read ${n(read)} rows of ${summaries[0].kind}${files} in ${seconds.toFixed(1)} s (${n(Math.round(read / Math.max(seconds, 1e-9)))}/s)`;
  if (summaries.length === 1) return [head, ...details(summaries[0], "  ")].join("\n");
  return [head, ...summaries.flatMap((s, i) => [`  ${inputs[i].file} (${inputs[i].source}): read ${n(s.read)} rows`, ...details(s, "    ")])].join("\n");
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

const OPTIONS = {
  source: { type: "string", multiple: true },
  kind: { type: "string" },
  mapping: { type: "string", multiple: true },
  "create-source": { type: "boolean", default: false },
  label: { type: "string" },
  "trust-rank": { type: "string" },
  "batch-size": { type: "string" },
  "dry-run": { type: "boolean", default: false },
  path: { type: "string" },
} as const;

runCli(import.meta.url, {
  usage: USAGE,
  positionals: true,
  options: OPTIONS,
  async run({ values, tokens, file, db: open }) {
    const parsed = argsSchema.safeParse({
      files: filesOf(tokens),
      kind: values.kind,
      createSource: values["create-source"],
      label: values.label,
      trustRank: values["trust-rank"],
      batchSize: values["batch-size"],
      dryRun: values["dry-run"],
      path: values.path,
    });
    if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
    const args = parsed.data;
    const mappings = new Map<string, ImportMapping>();
    const inputs: ImportInput[] = args.files.map((f) => {
      const stat = fs.statSync(f.file, { throwIfNoEntry: false });
      if (!stat) throw new UsageError(`No such file: ${f.file}`);
      if (!stat.isFile()) throw new UsageError(`Not a file: ${f.file} (give the path of a CSV or JSONL file)`);
      if (f.mapping && !mappings.has(f.mapping)) mappings.set(f.mapping, readMapping(f.mapping, args.kind));
      return { source: f.source, file: f.file, mapping: f.mapping ? mappings.get(f.mapping) : undefined };
    });
    const names = [...new Set(inputs.map((i) => i.source))];
    if (names.length > 1 && (args.label !== undefined || args.trustRank !== undefined))
      throw new UsageError("--label and --trust-rank go with one source: create the sources one run at a time, or leave them out.");
    const sourceSpecs = names.map((name) => ({ name, label: args.label, trustRank: args.trustRank }));
    const db = open();
    const started = performance.now();
    const options = { kind: args.kind, batchSize: args.batchSize, onProgress: progressReporter(), path: args.path };
    if (!args.dryRun) {
      for (const spec of sourceSpecs) ensureSource(db, spec, args.createSource);
      const summaries = await importFiles(db, inputs, options);
      analyse(db);
      if (process.stderr.isTTY) process.stderr.write("\n");
      console.log(formatSummaries(summaries, inputs, (performance.now() - started) / 1000));
      return;
    }
    if (!args.createSource) for (const spec of sourceSpecs) ensureSource(db, spec, false);
    const dry = await dryRunImport(
      db,
      inputs.map((i) => ({ ...i, rejectsFile: `${i.file}.dry-run.rejects.csv` })),
      {
        ...options,
        // The sources to create are created in the copy only.
        beforeImport: (copy) => sourceSpecs.forEach((spec) => ensureSource(copy, spec, args.createSource)),
        onCopy: (share) => process.stderr.isTTY && process.stderr.write(`\rcopying the database for the dry run: ${(share * 100).toFixed(0)}%\x1b[K`),
      },
    );
    if (process.stderr.isTTY) process.stderr.write("\n");
    console.log(`Dry run: nothing was written to ${file}. The import would have:`);
    console.log(formatSummaries(dry.summaries, inputs, (performance.now() - started) / 1000));
    if (dry.sampleMerges.length) console.log(`  first merges:\n${dry.sampleMerges.map((m) => `    - ${m}`).join("\n")}`);
    if (dry.sampleReviewItems.length) console.log(`  first review items:\n${dry.sampleReviewItems.map((r) => `    - ${r}`).join("\n")}`);
  },
});

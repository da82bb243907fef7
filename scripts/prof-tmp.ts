import fs from "node:fs";
import { openDatabase } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { writeSourceFiles } from "@/db/seed/source-files";
import { importFile } from "@/lib/identity/import";
const dir = "/tmp/profi"; fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir);
const { files } = writeSourceFiles(dir + "/files", { records: 20000, seed: 3, withOrders: false });
const db = openDatabase(dir + "/a.db"); seedDemo(db, { profiles: 0 });
const t0 = performance.now(); const c0 = process.cpuUsage();
let n = 0;
for (const f of files.filter((f) => f.kind === "customers")) { const s = await importFile(db, { kind: "customers", source: f.source, file: f.file }); n += s.read; console.log(f.source, s.read, s.possibleDuplicates, s.merges); }
const c = process.cpuUsage(c0);
console.log(n, "records", ((performance.now() - t0) / 1000).toFixed(1), "s wall", ((c.user + c.system) / 1e6).toFixed(1), "s cpu", (n / ((c.user + c.system) / 1e6)).toFixed(0), "/cpu-s");

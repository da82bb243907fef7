// Lint and layer rules, run by `npm test` (scripts/test.sh). The layers, top to bottom:
//   app/ (routes) → components/ → lib/actions/, lib/next/ (framework glue) → lib/<domain>/ → db/
// A layer imports only from layers below it; SQL (drizzle query building, raw SQL through
// `$client`) lives in lib/<domain>/ and db/ only, so a second database changes those two.
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const DOMAIN = ["lib/**/*.{ts,tsx}"];
const NOT_DOMAIN = ["lib/actions/**", "lib/next/**"];
const TESTS = ["**/*.test.ts", "**/test-data.ts", "lib/test/**", "e2e/**"];

/** Table objects are camelCase exports of db/schema.ts; constants (UPPER_CASE) and types stay importable. */
const noTables = {
  regex: "^@/db/schema$",
  importNamePattern: "^[a-z]",
  message: "Query through a lib/<domain> function: tables (and so SQL) stay in lib/<domain>/ and db/.",
};
const noDrizzle = {
  group: ["drizzle-orm", "drizzle-orm/*"],
  message: "Query through a lib/<domain> function: SQL stays in lib/<domain>/ and db/.",
};
const QUERY_METHODS = "/^(query|select|selectDistinct|insert|update|delete|run|all|get|values|\\$count|\\$client)$/";
const noSql = [
  {
    selector: "MemberExpression[property.name='$client']",
    message: "Raw SQL through the driver belongs in lib/<domain>/ or db/.",
  },
  {
    selector: `MemberExpression[object.name=/^(db|tx)$/][property.name=${QUERY_METHODS}], MemberExpression[object.property.name='db'][property.name=${QUERY_METHODS}], MemberExpression[object.callee.name=/^(getDb|openDatabase)$/][property.name=${QUERY_METHODS}]`,
    message: "Query through a lib/<domain> function: SQL stays in lib/<domain>/ and db/.",
  },
];
const noFramework = {
  group: ["next", "next/*", "next-auth", "next-auth/*", "@/app/*", "@/components/*", "@/lib/actions/*", "@/lib/next/*"],
  message: "lib/<domain> is plain functions: no Next.js, Auth.js, routes, components or actions (framework glue goes in lib/next/).",
};
const noUp = (what) => ({ group: ["@/app/*", "@/components/*"], message: `${what} must not import routes or components.` });

/** Where the layers still leak; each entry is a file another change owns. Remove the entry when it is fixed. */
const TEMPORARY_SQL_EXCEPTIONS = [
  // Bench and evaluation scripts measure the database directly; being rewritten by the perf
  // (bench*), identity (eval-identity, identity-export) and suggest (eval-suggest) changes.
  "scripts/bench.ts",
  "scripts/bench-ingest.ts",
  "scripts/bench-lists.ts",
  "scripts/bench-write-floor.ts",
  "scripts/eval-identity.ts",
  "scripts/identity-export.ts",
  "scripts/eval-suggest.ts",
];

/** Sign-in and PIN unlock run outside the action wrapper until the security change moves them into it. */
const TEMPORARY_GETDB_EXCEPTIONS = ["lib/actions/auth.ts"];


export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "data/**", "db/migrations/**", "next-env.d.ts", "playwright-report/**", "test-results/**"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks, drizzle },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      // As create-t3-app: a delete or update without where empties or rewrites a whole table.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx", "ctx.db"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx", "ctx.db"] }],
      // Product thumbnails are small fixed-size SVGs from public/: next/image would only add a loader.
      "@next/next/no-img-element": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },

  // lib/<domain>: plain functions, no framework, nothing above.
  {
    files: DOMAIN,
    ignores: NOT_DOMAIN,
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [noFramework] }] },
  },
  // lib/next: framework glue calling lib/<domain>; no SQL.
  {
    files: ["lib/next/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [noUp("lib/next"), noDrizzle, noTables] }],
      "no-restricted-syntax": ["error", ...noSql],
    },
  },
  // lib/actions: thin entry points; the wrapper hands each one the connection, the domain does the SQL.
  {
    files: ["lib/actions/**/*.ts"],
    ignores: ["lib/actions/safe-action.ts", ...TEMPORARY_GETDB_EXCEPTIONS],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [noUp("lib/actions"), noDrizzle, noTables, { group: ["@/db/server"], message: "Actions get the connection from the wrapper (safe-action.ts)." }] },
      ],
      "no-restricted-syntax": ["error", ...noSql],
    },
  },
  {
    files: ["lib/actions/safe-action.ts", ...TEMPORARY_GETDB_EXCEPTIONS],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [noUp("lib/actions"), noDrizzle, noTables] }],
      "no-restricted-syntax": ["error", ...noSql],
    },
  },
  // components: never db/ (types and constants come through lib/), no SQL, no routes.
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/db/*"], message: "Components reach the database through lib/ (types and constants too)." },
            noDrizzle,
            { group: ["@/app/*"], message: "Components must not import routes." },
          ],
        },
      ],
      "no-restricted-syntax": ["error", ...noSql],
    },
  },
  // app: routes call lib/ and hand it the connection; no SQL.
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [noDrizzle, noTables] }],
      "no-restricted-syntax": ["error", ...noSql],
    },
  },
  // scripts: CLIs open a database file and call lib/ functions; no SQL of their own.
  {
    files: ["scripts/**/*.ts"],
    ignores: [...TESTS, ...TEMPORARY_SQL_EXCEPTIONS],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [noUp("scripts"), noDrizzle, noTables] }],
      "no-restricted-syntax": ["error", ...noSql],
    },
  },
  // db: the bottom layer.
  {
    files: ["db/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/*", "@/app/*", "@/components/*", "@/scripts/*", "next", "next/*", "next-auth", "next-auth/*", "../*"],
              message: "db/ is the bottom layer: it imports nothing above it.",
            },
          ],
        },
      ],
    },
  },
  // Tests set up and inspect their own SQLite files directly, blanket updates included.
  { files: TESTS, rules: { "no-restricted-syntax": "off", "drizzle/enforce-delete-with-where": "off", "drizzle/enforce-update-with-where": "off" } },
);

// Lint and layer rules, run by `npm test` (scripts/test.sh). The layers, top to bottom:
//   app/ (routes) → components/ → lib/actions/ and auth.ts (framework glue) → lib/<domain>/ → db/
// A layer imports only from layers below it. SQL (drizzle query building, raw SQL through `$client`)
// lives in lib/<domain>/ and db/ only, so a second database changes those two and nothing else.
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const CONNECTION_GLUE = ["lib/actions/safe-action.ts", "lib/actions/session.ts", "lib/actions/app-db.ts"];
const TESTS = ["**/*.test.ts", "**/test-data.ts", "lib/test/**", "e2e/**"];

const SQL_HOME = "Query through a lib/<domain> function: SQL stays in lib/<domain>/ and db/.";
const noDrizzle = { group: ["drizzle-orm", "drizzle-orm/*"], message: SQL_HOME };
/** Table objects are camelCase exports of db/schema.ts; its constants (UPPER_CASE) and types stay importable. */
const noTables = { regex: "^@/db/schema$", importNamePattern: "^[a-z]", message: SQL_HOME };
const noDb = { group: ["@/db/*"], message: "Components reach the database through lib/ (types and constants too)." };
const noGetDb = { group: ["@/db/server"], message: "Actions get the connection from the wrapper (safe-action.ts)." };
const noConnection = {
  group: ["@/db/server", "@/db/client"],
  allowTypeImports: true,
  message: "Pages and route handlers call lib through withDb (lib/actions/app-db.ts) and never hold a connection.",
};
const above = (...folders) => ({ group: folders.map((f) => `@/${f}/*`), message: `This layer must not import from ${folders.join("/, ")}/.` });
const noAboveDb = {
  group: ["@/lib/*", "@/app/*", "@/components/*", "@/scripts/*", "next", "next/*", "next-auth", "next-auth/*", "../*"],
  message: "db/ is the bottom layer: it imports nothing above it.",
};
const noFramework = {
  group: ["next", "next/*", "next-auth", "next-auth/*", "react", "react-dom", "@/lib/actions/*", "@/auth"],
  message: "lib/<domain> is plain functions: no Next.js, Auth.js, React or actions (framework glue goes in lib/actions/ or auth.ts).",
};

const QUERY_METHODS = "/^(query|select|selectDistinct|insert|update|delete|run|all|get|values|\\$count|\\$client)$/";
const noSqlSyntax = [
  { selector: "MemberExpression[property.name='$client']", message: "Raw SQL through the driver belongs in lib/<domain>/ or db/." },
  {
    selector: [
      `MemberExpression[object.name=/^(db|tx)$/][property.name=${QUERY_METHODS}]`,
      `MemberExpression[object.property.name='db'][property.name=${QUERY_METHODS}]`,
      `MemberExpression[object.callee.name=/^(getDb|openDatabase)$/][property.name=${QUERY_METHODS}]`,
    ].join(", "),
    message: SQL_HOME,
  },
];

/** SQLite-only SQL and raw driver access, which belong behind named functions in db/ (see README, "Running on PostgreSQL later"). */
const SQLITE_ONLY = "/indexed by|cross join|insert or ignore|insert or replace|json_extract|json_each|json_object|pragma|profile_search|sqlite_master/i";
const noSqliteOnly = [
  { selector: "MemberExpression[property.name='$client']", message: "Raw driver access belongs in db/." },
  {
    selector: `TemplateElement[value.raw=${SQLITE_ONLY}], Literal[value=${SQLITE_ONLY}]`,
    message: "SQLite-only SQL goes behind a named function in db/ (db/dialect.ts, db/search.ts, db/maintenance.ts).",
  },
];
/** A domain's named home for its raw or SQLite-only SQL (hot prepared statements), as db/ is for generic ones. */
const DOMAIN_QUERIES = ["lib/*/queries.ts"];

/** One layer's rule: the imports it may not make, and (unless sql is true) no query building or raw SQL. */
function layer({ files, ignores = [], forbid, sql = false }) {
  return {
    files,
    ignores,
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: forbid }],
      ...(sql ? {} : { "no-restricted-syntax": ["error", ...noSqlSyntax] }),
    },
  };
}

export default tseslint.config(
  { ignores: ["**/.next/**", "node_modules/**", "data/**", "db/migrations/**", "**/next-env.d.ts", "public/sw.js", "playwright-report/**", "test-results/**"] },
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

  layer({ files: ["app/**/*.{ts,tsx}"], forbid: [above("scripts"), noDrizzle, noTables, noConnection] }),
  layer({ files: ["components/**/*.{ts,tsx}"], forbid: [above("app", "scripts"), noDb, noDrizzle] }),
  layer({
    files: ["lib/actions/**/*.ts"],
    ignores: CONNECTION_GLUE,
    forbid: [above("app", "components", "scripts"), noDrizzle, noTables, noGetDb],
  }),
  // The wrapper, the session it reads and withDb are where actions, pages and route handlers get their connection.
  layer({ files: CONNECTION_GLUE, forbid: [above("app", "components", "scripts"), noDrizzle, noTables] }),
  layer({ files: ["auth.ts"], forbid: [above("app", "components", "scripts"), noDrizzle, noTables] }),
  layer({ files: ["lib/**/*.{ts,tsx}"], ignores: ["lib/actions/**"], forbid: [above("app", "components", "scripts"), noFramework], sql: true }),
  {
    files: ["lib/**/*.{ts,tsx}"],
    ignores: ["lib/actions/**", ...TESTS, ...DOMAIN_QUERIES],
    rules: { "no-restricted-syntax": ["error", ...noSqliteOnly] },
  },
  layer({ files: ["db/**/*.ts"], forbid: [noAboveDb], sql: true }),
  layer({ files: ["scripts/**/*.ts"], ignores: TESTS, forbid: [above("app", "components"), noDrizzle, noTables] }),

  // Tests set up and inspect their own SQLite files directly, blanket updates included.
  { files: TESTS, rules: { "no-restricted-syntax": "off", "drizzle/enforce-delete-with-where": "off", "drizzle/enforce-update-with-where": "off" } },
  // A preload that `node --require` runs before Next: CommonJS by necessity.
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
);

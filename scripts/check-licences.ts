/**
 * Fails unless every installed package (production and dev, nested copies included) is under a
 * licence compatible with anyclaude's MIT, or named below with the reason it may stay.
 * Run by `.ci/run`:  bun scripts/check-licences.ts [node_modules dir]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { isLicenceExpressionAllowed, type PackageLicenceField, readLicenceExpression } from "./licence-expression";

/** Permissive licences: code under them may ship inside an MIT program with its notice kept. */
const ALLOWED = new Set(
  [
    "MIT",
    "MIT-0",
    "ISC",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "0BSD",
    "Apache-2.0",
    "BlueOak-1.0.0",
    "Unlicense",
    "CC0-1.0",
    "CC-BY-4.0",
    "Python-2.0",
    "Zlib",
    "BSL-1.0",
  ].map((id) => id.toLowerCase()),
);

/**
 * Packages whose package.json does not say an allowed licence, each with why it may stay. All
 * three are test tools: the check fails if package-lock.json stops marking one dev-only.
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  "@anthropic-ai/claude-code":
    "proprietary (Anthropic's legal agreements): a dev-only test client, the reference Claude Code CLI the integration tests drive; never bundled or shipped",
  "@anthropic-ai/claude-code-linux-x64": "the native binary of @anthropic-ai/claude-code, same terms: dev-only, never shipped",
  "@modelcontextprotocol/server-everything":
    "'SEE LICENSE IN LICENSE' but ships no LICENSE file; its README and repository say MIT. A dev-only MCP server for tests",
};

interface InstalledPackage {
  name: string;
  version: string;
  /** node_modules/a/node_modules/b, as package-lock.json names it. */
  path: string;
  licence: string | undefined;
  dev: boolean;
}

function listInstalledPackages(modulesDir: string, root: string, devPaths: ReadonlySet<string>): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
      const packageDir = join(dir, entry.name);
      if (entry.name.startsWith("@")) {
        visit(packageDir);
        continue;
      }
      const manifestPath = join(packageDir, "package.json");
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
        name?: string;
        version?: string;
        license?: PackageLicenceField;
        licenses?: PackageLicenceField;
      };
      const path = relative(root, packageDir);
      found.push({
        name: manifest.name ?? entry.name,
        version: manifest.version ?? "?",
        path,
        licence: readLicenceExpression(manifest.license ?? manifest.licenses),
        dev: devPaths.has(path),
      });
      const nested = join(packageDir, "node_modules");
      if (existsSync(nested)) visit(nested);
    }
  };
  visit(modulesDir);
  return found;
}

/** Paths package-lock.json marks dev-only, for the summary; a missing lockfile marks none. */
function readDevPaths(root: string): Set<string> {
  const lockPath = join(root, "package-lock.json");
  if (!existsSync(lockPath)) return new Set();
  const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { packages?: Record<string, { dev?: boolean }> };
  return new Set(Object.entries(lock.packages ?? {}).flatMap(([path, entry]) => (entry.dev ? [path] : [])));
}

const root = join(import.meta.dir, "..");
const modulesDir = process.argv[2] ?? join(root, "node_modules");
const packages = listInstalledPackages(modulesDir, root, readDevPaths(root));
if (packages.length === 0) {
  console.error(`licences: no packages under ${modulesDir}; run npm install first`);
  process.exit(1);
}

const refused = packages.filter((pkg) => !(pkg.licence && isLicenceExpressionAllowed(pkg.licence, ALLOWED)));
const isExcepted = (pkg: InstalledPackage) => EXCEPTIONS[pkg.name] !== undefined && pkg.dev;
const excepted = refused.filter(isExcepted);
const failing = refused.filter((pkg) => !isExcepted(pkg));

const byLicence = new Map<string, number>();
for (const pkg of packages) byLicence.set(pkg.licence ?? "(none)", (byLicence.get(pkg.licence ?? "(none)") ?? 0) + 1);
const devCount = packages.filter((pkg) => pkg.dev).length;
console.log(`licences: ${packages.length} installed packages (${packages.length - devCount} production, ${devCount} dev-only)`);
for (const [licence, count] of [...byLicence].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(4)}  ${licence}`);
for (const pkg of excepted)
  console.log(`  exception: ${pkg.name}@${pkg.version} (${pkg.licence ?? "no licence"}): ${EXCEPTIONS[pkg.name]}`);
for (const pkg of failing) {
  const why = EXCEPTIONS[pkg.name] ? "excepted as dev-only, but installed for production" : (pkg.licence ?? "no licence stated");
  console.error(`  NOT ALLOWED: ${pkg.name}@${pkg.version} at ${pkg.path}: ${why}${pkg.dev ? " (dev)" : ""}`);
}
if (failing.length > 0) {
  console.error(
    `licences: ${failing.length} package(s) under a licence not known to be MIT-compatible; add an exception with a reason, or drop them`,
  );
  process.exit(1);
}
console.log(`licences: ok (${excepted.length} named exceptions)`);

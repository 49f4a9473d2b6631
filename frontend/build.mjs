// Copies the browser files of the npm packages Knooppunt serves into Django's static files
// (src/knooppunt/web/static/vendor/, not in git). Run by run.sh after `npm ci`; decision 0036.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "knooppunt", "web", "static", "vendor");
const packages = {
  "maplibre-gl": ["dist/maplibre-gl.mjs", "dist/maplibre-gl-worker.mjs", "dist/maplibre-gl.css",
                  "LICENSE.txt"],
  // The network view (knooppunt/network.js, decision 0049): the ES module build and licence.
  cytoscape: ["dist/cytoscape.esm.min.mjs", "LICENSE"],
};

rmSync(target, { recursive: true, force: true });
const versions = {};
for (const [name, files] of Object.entries(packages)) {
  const source = join(here, "node_modules", name);
  versions[name] = JSON.parse(readFileSync(join(source, "package.json"), "utf8")).version;
  mkdirSync(join(target, name), { recursive: true });
  for (const file of files) {
    cpSync(join(source, file), join(target, name, file.split("/").pop()));
  }
}
// The lockfile's versions, so the page and the system check can tell a stale copy.
writeFileSync(join(target, "versions.json"), JSON.stringify(versions, null, 1) + "\n");
console.log(`vendor files in ${target}: ${JSON.stringify(versions)}`);

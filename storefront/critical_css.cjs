// Inline each built page's critical CSS and load the full stylesheet without blocking paint (Beasties).
//
//   node critical_css.cjs <web folder> <static folder> <page.html>...
//
// Run by storefront/critical_css.py after Reflex's production build. Beasties is resolved from the build
// folder's node_modules, where Reflex installed it, not from beside this file.
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const { createRequire } = require("node:module");

async function main([webDir, staticDir, ...pages]) {
  const loaded = createRequire(path.join(webDir, "package.json"))("beasties");
  const Beasties = loaded.default || loaded;
  const beasties = new Beasties({
    path: staticDir,
    publicPath: "/",
    // media="print" until loaded, then "all": the <link> React renders stays where it is with its href, so
    // hydration still matches it (React compares a head link by rel and href, not media).
    preload: "media",
    noscriptFallback: true,
    pruneSource: false, // client-side navigation renders pages this HTML does not show
    // Beasties drops a rule whose selector is a lone :where(...) or :is(...) whatever it holds (0.5.4: it
    // strips pseudo-classes before matching, which leaves nothing). Radix declares its theme's colours that way
    // (`:where(.radix-themes) { --color-surface: ... }`) and resets margins (`:where(.rt-Text)`): keep them all.
    allowRules: [/^:(?:where|is)\(/],
    logLevel: "warn",
  });
  const sizes = {};
  // Reflex writes most pages twice (`claim/index.html` and its copy `claim.html`): each distinct page is
  // inlined once.
  const inlined = new Map();
  for (const page of pages) {
    const file = path.join(staticDir, page);
    const source = fs.readFileSync(file, "utf8");
    if (!inlined.has(source)) {
      // Beasties marks <html> as its container; React renders <html> without it, so it goes.
      inlined.set(source, (await beasties.process(source)).replace(" data-beasties-container", ""));
    }
    const html = inlined.get(source);
    fs.writeFileSync(file, html);
    sizes[page] = Buffer.byteLength(html);
  }
  process.stdout.write(JSON.stringify(sizes));
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});

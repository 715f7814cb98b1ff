#!/usr/bin/env node
// Accessibility audit of enquete's HTML pages: axe-core (WCAG 2.0/2.1 A and AA, and best practice
// separately) in Debian's headless Chromium at a desktop and a phone width, page-wide horizontal
// scroll, and a screenshot of each. Nothing here downloads a browser: Chromium is /usr/bin/chromium
// (or $CHROMIUM).
//
//   node audit.js [--out DIR] [--widths 1280,390] [--full] PAGE.html ...
//
// Exit code 0 when no page has a WCAG A/AA violation and none scrolls sideways at any width;
// 1 otherwise; 2 on a usage error.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function parseArgs(argv) {
  const opts = { out: 'a11y-out', widths: [1280, 390], full: false, pages: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') opts.out = argv[++i];
    else if (a === '--widths') opts.widths = argv[++i].split(',').map(Number);
    else if (a === '--full') opts.full = true;
    else if (a === '-h' || a === '--help') { console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 11).join('\n')); process.exit(0); }
    else if (a.startsWith('--')) { console.error(`unknown option ${a}`); process.exit(2); }
    else opts.pages.push(a);
  }
  if (opts.pages.length === 0 || opts.widths.some((w) => !(w > 0))) {
    console.error('usage: node audit.js [--out DIR] [--widths 1280,390] [--full] PAGE.html ...');
    process.exit(2);
  }
  return opts;
}

// The page's name in file names: its folder and file, e.g. "nl-index".
function slug(page) {
  const abs = path.resolve(page);
  return `${path.basename(path.dirname(abs))}-${path.basename(abs, '.html')}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

function summarise(violations) {
  return violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    summary: v.nodes[0] ? v.nodes[0].failureSummary : '',
  }));
}

async function auditPage(browser, axeSource, page, width, opts) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  const tab = await context.newPage();
  await tab.goto('file://' + path.resolve(page), { waitUntil: 'load' });
  await tab.addScriptTag({ content: axeSource });
  const wcag = await tab.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), WCAG_TAGS);
  const bp = await tab.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['best-practice'] }, resultTypes: ['violations'] }));
  // Page-wide horizontal scroll, and the widest elements that stick out (to find the cause).
  const scroll = await tab.evaluate(() => {
    const doc = document.documentElement;
    const vw = doc.clientWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && r.width > 0) {
        // Only report an element whose overflow is not clipped by a scrolling ancestor.
        let clipped = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const s = getComputedStyle(p);
          if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') { clipped = true; break; }
        }
        if (!clipped) wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: doc.scrollWidth, clientWidth: vw, overflowing: wide.slice(0, 10) };
  });
  // The smallest rendered font size of visible text (chart text inside <img> is not seen here).
  const minFont = await tab.evaluate(() => {
    let min = Infinity;
    for (const el of document.body.querySelectorAll('*')) {
      if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
    }
    return min;
  });
  const shot = path.join(opts.out, `${slug(page)}-${width}.png`);
  await tab.screenshot({ path: shot, fullPage: opts.full });
  await context.close();
  return {
    page, width, screenshot: shot,
    wcag: summarise(wcag.violations), bestPractice: summarise(bp.violations),
    horizontalScroll: scroll.scrollWidth > scroll.clientWidth, scrollWidth: scroll.scrollWidth,
    overflowing: scroll.overflowing, minFontPx: minFont,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(opts.out, { recursive: true });
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // playwright gives each launch a new, empty profile folder (its own --user-data-dir).
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  const results = [];
  let failed = false;
  try {
    for (const page of opts.pages) {
      for (const width of opts.widths) {
        const r = await auditPage(browser, axeSource, page, width, opts);
        results.push(r);
        const bad = r.wcag.length > 0 || r.horizontalScroll;
        failed = failed || bad;
        const line = `${bad ? 'FAIL' : 'ok  '} ${page} @${width}px: WCAG A/AA violations ${r.wcag.reduce((s, v) => s + v.nodes, 0)} (${r.wcag.map((v) => `${v.id}×${v.nodes}`).join(', ') || 'none'}); best practice ${r.bestPractice.map((v) => `${v.id}×${v.nodes}`).join(', ') || 'none'}; page width ${r.scrollWidth}px${r.horizontalScroll ? ' (scrolls sideways: ' + r.overflowing.slice(0, 3).join('; ') + ')' : ''}; smallest text ${r.minFontPx}px`;
        console.log(line);
      }
    }
  } finally {
    await browser.close();
  }
  fs.writeFileSync(path.join(opts.out, 'audit.json'), JSON.stringify(results, null, 2));
  console.log(`details: ${path.join(opts.out, 'audit.json')}`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });

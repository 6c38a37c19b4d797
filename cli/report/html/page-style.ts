/**
 * The page's stylesheet, inlined. Colours pass WCAG AA against white (text
 * 4.5:1, chart fills 3:1) and differ in lightness as well as hue, so the
 * charts still read in greyscale print; every chart also has its numbers as
 * a table.
 */
export const PAGE_STYLE = `
:root { --ink: #1a1a1a; --muted: #555; --line: #ccc; --clean: #1b7837; --creds: #b2182b;
  --unknown: #6b6b6b; --fixed: #2166ac; --failed: #b2182b; --rejected: #a14a00; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; padding: 1rem; max-width: 72rem; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
.meta { color: var(--muted); margin: 0; }
.headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .5rem; margin: 1rem 0; }
.headline div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
.headline dt { color: var(--muted); font-size: .85rem; }
.headline dd { margin: 0; font-size: 1.6rem; font-weight: 600; }
.headline .bad dd { color: var(--creds); }
.headline .good dd { color: var(--clean); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem 2rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
.chart { width: 100%; max-width: 34rem; height: auto; }
.chart-label, .chart-value, .chart-note { font-size: 12px; fill: var(--ink); }
.chart-grid { stroke: var(--line); stroke-width: 1; }
.fill-clean { fill: var(--clean); background: var(--clean); }
.fill-creds { fill: var(--creds); background: var(--creds); }
.fill-unknown { fill: var(--unknown); background: var(--unknown); }
.fill-fixed { fill: var(--fixed); background: var(--fixed); }
.fill-failed { fill: var(--failed); background: var(--failed); }
.fill-rejected { fill: var(--rejected); background: var(--rejected); }
.legend { list-style: none; padding: 0; margin: .25rem 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .9rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; margin-right: .35rem; vertical-align: -2px; }
details { margin: .25rem 0 .75rem; font-size: .9rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th[data-numeric] { text-align: right; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th button:focus-visible, input:focus-visible { outline: 3px solid #1f5fbf; outline-offset: 2px; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.filter { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .5rem 0; }
.filter input { font: inherit; padding: .3rem .5rem; border: 1px solid #767676; border-radius: 4px; min-width: 16rem; }
.outcome-FAILED, .outcome-REJECTED, .outcome-CREDENTIALS_PRESENT { color: var(--creds); font-weight: 600; }
.outcome-REMEDIATED, .outcome-CLEAN { color: var(--clean); }
.empty { color: var(--muted); font-style: italic; }
@media (max-width: 40rem) {
  body { padding: .5rem; font-size: 14px; }
  .charts { grid-template-columns: 1fr; }
  .filter input { min-width: 0; width: 100%; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .filter, th button::after { display: none; }
  details { display: block; }
  h2 { break-after: avoid; }
  figure, tr, .headline div { break-inside: avoid; }
  .scroll { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/**
 * The report's inline stylesheet and script. The script only adds hover
 * tooltips on the map and a segment filter on the legend; the page reads
 * fully without it. Both are plain strings: the report loads nothing.
 */
import { segmentColour, textOn, unassignedColour } from './palette.js';

const base = `
:root{--ink:#1d2433;--muted:#5b6474;--line:#e3e6ec;--soft:#f5f6f9;--accent:#332288}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue","Liberation Sans",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:1160px;margin:0 auto;padding:0 28px 48px}
header.top{background:var(--soft);border-bottom:1px solid var(--line);margin-bottom:8px}
header.top .in{max-width:1160px;margin:0 auto;padding:28px 28px 18px}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:var(--muted);margin:0}
h1{font-size:30px;line-height:1.2;margin:4px 0 6px;font-weight:650}
h2{font-size:21px;margin:40px 0 6px;font-weight:650;padding-top:6px}
h3{font-size:16px;margin:20px 0 8px;font-weight:650}
.lede{color:var(--muted);margin:0 0 14px;max-width:760px}
nav{display:flex;gap:18px;flex-wrap:wrap;font-size:14px}
nav a{color:var(--accent);text-decoration:none;border-bottom:1px solid transparent}
nav a:hover{border-bottom-color:currentColor}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:18px 0 8px}
.kpi{border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.kpi b{display:block;font-size:26px;font-weight:650;font-variant-numeric:tabular-nums}
.kpi span{color:var(--muted);font-size:13px}
.eval{max-width:760px}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:8px 36px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:7px 10px 7px 0;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;padding-right:14px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0;font-size:14px}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.bar{display:flex;align-items:center;gap:8px;font-size:13px;margin:3px 0}
.bar .lab{width:90px;color:var(--muted)}
.bar .track{flex:1;background:var(--soft);border-radius:3px;height:12px;overflow:hidden}
.bar .fill{height:100%;background:#6b7fa8}
.bar .val{width:80px;text-align:right;font-variant-numeric:tabular-nums}
.chip{display:inline-flex;align-items:center;justify-content:center;min-width:30px;height:24px;padding:0 7px;border-radius:12px;font-weight:650;font-size:13px}
.share{display:flex;align-items:center;gap:8px}
.share .track{width:70px;height:8px;background:var(--soft);border-radius:4px;overflow:hidden}
.share .fill{height:100%}
.terms{display:flex;flex-wrap:wrap;gap:4px}
.term{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 6px;font-size:13px}
.stars{color:#b07d00;letter-spacing:1px}
ol.products{margin:0;padding-left:18px}
ol.products li{margin:0 0 2px}
.sub{color:var(--muted);font-size:13px}
figure{margin:14px 0 0}
figcaption{color:var(--muted);font-size:13px;margin-top:8px;max-width:820px}
.figure-row{display:grid;grid-template-columns:minmax(0,1fr) 260px;gap:24px;align-items:start}
@media (max-width:860px){.figure-row{grid-template-columns:1fr}}
.chart{width:100%;height:auto;display:block}
.chart.map{max-height:78vh;aspect-ratio:1/1}
.chart .frame{fill:#fbfbfd;stroke:var(--line)}
.chart .pt{fill-opacity:.78;stroke:#fff;stroke-width:.6}
.chart .pt:hover{stroke:#000;stroke-width:1.5;fill-opacity:1}
.chart.graph{overflow:visible}
.chart.graph line{stroke-opacity:.45;stroke-linecap:round}
.chart .gp{fill:#fff;stroke:#3b4252;stroke-width:1.5}
.chart .gn{font-size:14px;font-weight:700;text-anchor:middle;dominant-baseline:central;pointer-events:none}
.chart .labels text{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round;dominant-baseline:central;pointer-events:none}
.chart .lp{font-size:12px;fill:#3b4252}
.chart .ls{font-size:13px;font-weight:650;fill:var(--ink);text-anchor:middle}
.legend{list-style:none;margin:0;padding:0;font-size:13px}
.legend li{margin:0 0 4px}
.legend button{all:unset;box-sizing:border-box;display:flex;gap:8px;align-items:flex-start;width:100%;padding:5px 6px;border-radius:6px;cursor:pointer}
.legend button:hover,.legend button:focus-visible{background:var(--soft);outline:2px solid var(--line)}
.legend button[aria-pressed=true]{background:var(--soft);outline:2px solid var(--ink)}
.legend svg{flex:none;margin-top:2px}
.legend .what{display:block;color:var(--muted)}
.legend-note{font-size:12px;color:var(--muted);margin:8px 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:16px;margin-top:12px}
.card{border:1px solid var(--line);border-radius:10px;padding:14px 16px;break-inside:avoid}
.card header{display:flex;align-items:center;gap:10px;margin-bottom:8px}
.card h3{margin:0;font-size:16px}
blockquote{margin:8px 0;padding:4px 0 4px 12px;border-left:3px solid var(--line);font-size:14px;color:#2e3545}
.tip{position:fixed;pointer-events:none;background:#1d2433;color:#fff;font-size:12px;padding:6px 9px;border-radius:6px;max-width:280px;box-shadow:0 2px 8px rgba(0,0,0,.2);display:none;z-index:10}
.tip b{display:block}
footer{margin-top:48px;border-top:1px solid var(--line);padding-top:12px;color:var(--muted);font-size:13px}
@media print{nav,.tip{display:none}.card{page-break-inside:avoid}}
`;

/** Per-segment colour rules, plus the rules that dim every other segment while one is selected. */
export function segmentStyles(segments: readonly number[]): string {
  const rules = segments.map((s) => {
    const c = segmentColour(s);
    return `.s${s}{fill:${c}}.c${s}{background:${c};color:${textOn(c)}}.b${s}{background:${c}}[data-focus="${s}"] .pt:not(.s${s}){fill-opacity:.07;stroke:none}`;
  });
  return base + rules.join('') + `.sx{fill:${unassignedColour}}`;
}

/** Tooltip on map marks, and a legend that highlights one segment at a time. */
export const script = `
(function(){
  var names = JSON.parse(document.getElementById('segment-names').textContent);
  var map = document.querySelector('[data-chart="map"]');
  var tip = document.createElement('div');
  tip.className = 'tip';
  tip.setAttribute('role', 'status');
  document.body.appendChild(tip);
  function segmentOf(el){ var m = /\\bs(\\d+|x)\\b/.exec(el.getAttribute('class') || ''); return m ? m[1] : 'x'; }
  if (map) {
    map.addEventListener('mousemove', function(e){
      var el = e.target;
      if (!el || !el.hasAttribute || !el.hasAttribute('data-u')) { tip.style.display = 'none'; return; }
      var s = segmentOf(el);
      tip.innerHTML = '';
      var b = document.createElement('b'); b.textContent = 'User ' + el.getAttribute('data-u'); tip.appendChild(b);
      tip.appendChild(document.createTextNode(s === 'x' ? 'no segment' : 'Segment ' + s + ': ' + (names[s] || '')));
      tip.style.display = 'block';
      var x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
      var y = Math.min(e.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
      tip.style.left = x + 'px'; tip.style.top = y + 'px';
    });
    map.addEventListener('mouseleave', function(){ tip.style.display = 'none'; });
  }
  var buttons = document.querySelectorAll('[data-legend-segment]');
  Array.prototype.forEach.call(buttons, function(btn){
    btn.addEventListener('click', function(){
      var s = btn.getAttribute('data-legend-segment');
      var on = map && map.getAttribute('data-focus') !== s;
      if (map) { if (on) map.setAttribute('data-focus', s); else map.removeAttribute('data-focus'); }
      Array.prototype.forEach.call(buttons, function(b){ b.setAttribute('aria-pressed', on && b === btn ? 'true' : 'false'); });
    });
  });
})();
`;

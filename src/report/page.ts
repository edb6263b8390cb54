/**
 * Assembles the report page from its parts: the run summary, the segment
 * table, the map, the segment graph and the per-segment review snippets.
 * Every string that came from the data passes through esc().
 */
import { basename } from 'node:path';
import type { SegmentDescription } from '../segment/describe.js';
import type { EvalFigures, ReportData } from './data.js';
import { decimal, esc, int, percent, scriptJson, seconds, truncate } from './format.js';
import { segmentColour, segmentShape } from './palette.js';
import type { MapPoints } from './project.js';
import { script, segmentStyles } from './style.js';
import { params, profileParamNames } from '../params/index.js';
import { counted } from '../util/plural.js';

export interface PageParts {
  data: ReportData;
  points: MapPoints;
  mapSvg: string;
  graphSvg: string;
  graphCounts: { segments: number; products: number; edges: number };
  title: string;
  generatedAt: Date;
}

/** The parameters a run shows, labelled as the parameter table labels them. */
const paramLabels: [string, string][] = profileParamNames.filter((n) => n !== 'threads').map((n) => [n, params[n].label]);

/** A segment's chip: coloured by its position in the run, labelled with its stable id. */
function chip(segment: number, id = segment): string {
  return `<span class="chip c${segment}">${id}</span>`;
}

function swatch(segment: number, size = 14): string {
  const c = segmentColour(segment);
  const h = size / 2;
  const shape = segmentShape(segment);
  const mark =
    shape === 'circle'
      ? `<circle cx="${h}" cy="${h}" r="${h - 1}" fill="${c}"/>`
      : shape === 'square'
        ? `<rect x="1" y="1" width="${size - 2}" height="${size - 2}" fill="${c}"/>`
        : `<path d="M${h} 0L${size} ${h}L${h} ${size}L0 ${h}Z" fill="${c}"/>`;
  return `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true">${mark}</svg>`;
}

function stars(rating: number | null): string {
  if (rating === null) return '–';
  const full = Math.round(rating);
  return `<span class="stars" aria-hidden="true">${'★'.repeat(full)}${'☆'.repeat(Math.max(0, 5 - full))}</span> ${decimal(rating, 1)}`;
}

/** "2026-01-02 03:04 UTC" from an ISO time; anything else as stored. */
function when(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

function count(counts: Record<string, unknown>, key: string, fallback: number): number {
  const v = counts[key];
  return typeof v === 'number' ? v : fallback;
}

function header(p: PageParts): string {
  const r = p.data.run;
  const files = r.inputs.map((f) => basename(f)).join(', ');
  return `<header class="top"><div class="in">
<p class="kicker">graphprof · customer profiles report</p>
<h1>${esc(p.title)}</h1>
<p class="lede">${p.data.segments.length} customer segments found in ${esc(files)}: who they are, what they buy and what they write.</p>
<nav aria-label="Sections"><a href="#summary">Summary</a><a href="#segments">Segments</a><a href="#map">Map of users</a><a href="#graph">Segments and products</a><a href="#voices">In their words</a></nav>
</div></header>`;
}

function kpis(p: PageParts): string {
  const c = p.data.run.counts;
  const items: [string, string][] = [
    [int(count(c, 'users', p.data.users.ids.length)), 'users profiled'],
    [int(count(c, 'products', 0)), 'products'],
    [int(count(c, 'reviews', 0)), 'reviews'],
    [int(p.data.segments.length), 'segments'],
  ];
  const e = p.data.evaluation;
  if (e && e.recall.fused !== undefined) items.push([decimal(e.recall.fused, 3), `recall@${e.k} (fused)`]);
  return `<div class="kpis">${items.map(([v, l]) => `<div class="kpi"><b>${v}</b><span>${esc(l)}</span></div>`).join('')}</div>`;
}

function facts(p: PageParts): string {
  const r = p.data.run;
  const silhouettes = r.params.silhouettes;
  let chosen = '';
  if (silhouettes && typeof silhouettes === 'object' && r.params.clusters === 'auto') {
    const s = (silhouettes as Record<string, number>)[String(p.data.segments.length)];
    if (typeof s === 'number') chosen = ` (chosen by silhouette, ${decimal(s, 3)})`;
  }
  const rows: [string, string][] = [
    ['Run', `${r.id} (${esc(r.kind)})`],
    ['Trained', esc(when(r.finishedAt ?? r.createdAt))],
    ['Input files', r.inputs.map((f) => esc(basename(f))).join('<br>')],
    ['Text model', esc(r.modelId ?? 'none (graph only)')],
    ['Segments', `${p.data.segments.length}${chosen}`],
  ];
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function parameters(p: PageParts): string {
  const params = p.data.run.params;
  const rows = paramLabels.filter(([k]) => params[k] !== undefined && params[k] !== null);
  return `<table><tbody>${rows.map(([k, label]) => `<tr><td>${label}</td><td class="n">${esc(String(params[k]))}</td></tr>`).join('')}</tbody></table>`;
}

function timings(p: PageParts): string {
  const t = Object.entries(p.data.run.timings).filter(([, s]) => typeof s === 'number' && s >= 0);
  const total = t.reduce((a, [, s]) => a + s, 0);
  if (total <= 0) return '<p class="sub">No timings recorded.</p>';
  const max = Math.max(...t.map(([, s]) => s));
  const bars = t
    .map(([phase, s]) => `<div class="bar"><span class="lab">${esc(phase)}</span><span class="track"><span class="fill" style="display:block;width:${((s / max) * 100).toFixed(1)}%"></span></span><span class="val">${seconds(s)}</span></div>`)
    .join('');
  return `${bars}<p class="sub">Total ${seconds(total)}.</p>`;
}

function evaluation(e: EvalFigures | null): string {
  if (!e) return '';
  const methods = ['popularity', 'graph', 'text', 'fused'].filter((m) => e.recall[m] !== undefined);
  const names: Record<string, string> = { popularity: 'Most popular products (baseline)', graph: 'Graph vectors', text: 'Text vectors', fused: 'Fused vectors (used for segments)' };
  const rows = methods.map((m) => `<tr><td>${names[m]}</td><td class="n">${decimal(e.recall[m], 3)}</td><td class="n">${decimal(e.ndcg[m], 3)}</td></tr>`).join('');
  const ari = e.ari !== null ? ` The eval run's segments agree with the planted ground truth at an adjusted Rand index of <b>${decimal(e.ari, 3)}</b>.` : '';
  return `<h3>How well the profiles predict</h3>
<p class="sub">Eval run ${e.runId} on ${esc(e.inputs.map((f) => basename(f)).join(', '))}: each of ${int(e.users)} users' last review was held out, and products were ranked by similarity to the user's profile.${ari}</p>
<table><thead><tr><th>Ranking by</th><th class="n">Recall@${e.k}</th><th class="n">NDCG@${e.k}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function summary(p: PageParts): string {
  return `<section id="summary" aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>
${kpis(p)}
<div class="cols"><div><h3>About this run</h3>${facts(p)}</div><div><h3>Parameters</h3>${parameters(p)}</div><div><h3>Time spent</h3>${timings(p)}</div></div>
<div class="eval">${evaluation(p.data.evaluation)}</div>
</section>`;
}

interface SegmentColumn {
  head: string;
  numeric?: boolean;
  cell: (s: SegmentDescription, share: number, p: PageParts) => string;
  /** True when the segment has nothing for this column. */
  empty?: (s: SegmentDescription) => boolean;
}

const segmentColumns: readonly SegmentColumn[] = [
  { head: 'Segment', cell: (s, _share, p) => `${chip(s.segment, p.data.identity.ids[s.segment])} ${esc(p.data.identity.names[s.segment] ?? '')}` },
  {
    head: 'Users',
    numeric: true,
    cell: (s, share) => `${int(s.size)}<div class="share"><span class="track"><span class="fill b${s.segment}" style="display:block;width:${(share * 100).toFixed(1)}%"></span></span><span class="sub">${percent(share)}</span></div>`,
  },
  { head: 'Reviews', numeric: true, cell: (s) => int(s.reviews) },
  { head: 'Mean rating', cell: (s) => stars(s.meanRating), empty: (s) => s.meanRating === null },
  { head: 'Distinctive terms', cell: (s) => `<div class="terms">${s.terms.slice(0, 8).map((t) => `<span class="term">${esc(t)}</span>`).join('')}</div>`, empty: (s) => s.terms.length === 0 },
  { head: 'Top categories', cell: (s) => s.topCategories.map((c) => esc(c.category)).join('<br>') || '–', empty: (s) => s.topCategories.length === 0 },
  {
    head: 'Top products',
    cell: (s) => `<ol class="products">${s.topProducts.slice(0, 3).map((x) => `<li>${esc(truncate(x.title || x.productId, 40))} <span class="sub">(${int(x.members)})</span></li>`).join('')}</ol>`,
    empty: (s) => s.topProducts.length === 0,
  },
];

function segmentTable(p: PageParts): string {
  const segments = p.data.segments;
  const total = segments.reduce((a, s) => a + s.size, 0);
  // A column with nothing for any segment (no ratings, no categories in the data) says nothing: left out.
  const columns = segmentColumns.filter((c) => !c.empty || !segments.every(c.empty));
  const td = (c: SegmentColumn, inner: string): string => `<td${c.numeric ? ' class="n"' : ''}>${inner}</td>`;
  const rows = segments.map((s) => `<tr data-segment-row="${s.segment}">${columns.map((c) => td(c, c.cell(s, total ? s.size / total : 0, p))).join('')}</tr>`).join('\n');
  return `<section id="segments" aria-labelledby="h-segments"><h2 id="h-segments">Segments</h2>
<p class="lede">Each segment is a group of users with similar profiles. Distinctive terms are the words its members use more than others do; products are the ones most of its members reviewed (members in brackets).</p>
<div style="overflow-x:auto"><table class="segments"><thead><tr>${columns.map((c) => `<th${c.numeric ? ' class="n"' : ''}>${c.head}</th>`).join('')}</tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

/** Share of each segment's users having each tag (tags no user has are left out). */
function tagSection(p: PageParts): string {
  const t = p.data.tags;
  if (!t) return '';
  const byId = new Map(Array.from(p.data.identity.ids, (id, pos) => [id, pos] as [number, number]));
  const ids = t.tags[0]?.segments.map((s) => s.id) ?? [];
  const rows = t.tags
    .filter((x) => x.users > 0)
    .map((x) => `<tr><td>${esc(x.tag)}<div class="sub">${esc(x.description)}</div></td><td class="n">${percent(x.share)}</td>${x.segments.map((s) => `<td class="n">${percent(s.share)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<section id="tags" aria-labelledby="h-tags"><h2 id="h-tags">Tags</h2>
<p class="lede">Share of users having each tag, in the whole shop and in each segment. A user has a tag when its score (text similarity of their reviews to the tag's phrases, combined with rating and activity habits, as a z statistic against the shop's typical user) reaches the threshold (default ${t.threshold}).</p>
<div style="overflow-x:auto"><table class="tags"><thead><tr><th>Tag</th><th class="n">All users</th>${ids.map((id) => `<th class="n">${chip(byId.get(id) ?? id, id)}</th>`).join('')}</tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

function legend(p: PageParts, interactive: boolean): string {
  const items = p.data.segments
    .map((s) => {
      const body = `${swatch(s.segment)}<span><b>Segment ${s.segment}</b> · ${counted(s.size, 'user', int)}<span class="what">${esc(truncate(s.label, 48))}</span></span>`;
      return interactive
        ? `<li><button type="button" data-legend-segment="${s.segment}" aria-pressed="false">${body}</button></li>`
        : `<li><span style="display:flex;gap:8px;padding:5px 6px">${body}</span></li>`;
    })
    .join('');
  return `<ul class="legend">${items}</ul>`;
}

function mapSection(p: PageParts): string {
  const shown = p.points.rows.length;
  const sampled =
    shown < p.points.total
      ? ` The run has ${int(p.points.total)} users; ${int(shown)} are drawn, sampled per segment in proportion to its size (every segment keeps at least ${int(Math.min(30, Math.floor(shown / Math.max(1, p.data.segments.length))))} points).`
      : ` All ${int(shown)} users are drawn.`;
  return `<section id="map" aria-labelledby="h-map"><h2 id="h-map">Map of users</h2>
<p class="lede">Users who sit close together have similar profiles: they reviewed related products and wrote about them in similar words. Hover over a dot to see the user; select a segment in the legend to pick it out.</p>
<figure class="figure-row"><div>${p.mapSvg}</div><div>${legend(p, true)}<p class="legend-note">Select a segment to pick it out; select it again to show all.</p></div>
<figcaption>Projection of each user's fused profile vector (graph and review text) onto its first two principal components, which hold ${percent(p.points.explained)} of the variation; the axes have no units.${sampled}</figcaption></figure></section>`;
}

function graphSection(p: PageParts): string {
  const g = p.graphCounts;
  return `<section id="graph" aria-labelledby="h-graph"><h2 id="h-graph">Segments and their products</h2>
<p class="lede">Coloured discs are segments (larger: more users), white dots are their most-reviewed products; a line is thicker when more of the segment's members reviewed that product. Products shared by several segments sit between them.</p>
<figure class="figure-row"><div>${p.graphSvg}</div><div>${legend(p, false)}</div>
<figcaption>${g.segments} segments, ${g.products} products, ${g.edges} links; laid out with ForceAtlas2 from seeded starting positions, so the same run always gives the same picture. Hover over a dot or line for details.</figcaption></figure></section>`;
}

function card(s: SegmentDescription, total: number): string {
  const quotes = s.snippets.map((q) => `<blockquote>“${esc(q)}”</blockquote>`).join('') || '<p class="sub">No review text in this segment.</p>';
  const products = s.topProducts.map((x) => `<li>${esc(truncate(x.title || x.productId, 60))} <span class="sub">(${int(x.members)})</span></li>`).join('');
  return `<article class="card" data-segment-card="${s.segment}"><header>${chip(s.segment)}<div><h3>Segment ${s.segment}</h3><span class="sub">${counted(s.size, 'user', int)} (${percent(total ? s.size / total : 0)}) · ${counted(s.reviews, 'review', int)} · mean rating ${decimal(s.meanRating, 1)}</span></div></header>
<div class="terms">${s.terms.map((t) => `<span class="term">${esc(t)}</span>`).join('')}</div>
${quotes}
<details><summary class="sub">Top products</summary><ol class="products">${products}</ol></details></article>`;
}

function voices(p: PageParts): string {
  const total = p.data.segments.reduce((a, s) => a + s.size, 0);
  return `<section id="voices" aria-labelledby="h-voices"><h2 id="h-voices">In their words</h2>
<p class="lede">Reviews by the members closest to each segment's centre: the most typical voices of the segment.</p>
<div class="cards">${p.data.segments.map((s) => card(s, total)).join('')}</div></section>`;
}

export function renderPage(p: PageParts): string {
  const names: Record<string, string> = {};
  for (const s of p.data.segments) names[String(s.segment)] = s.label;
  const css = segmentStyles(p.data.segments.map((s) => s.segment));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="graphprof report">
<title>${esc(p.title)}</title>
<style>${css}</style></head>
<body>
${header(p)}
<main>
${summary(p)}
${segmentTable(p)}
${tagSection(p)}
${mapSection(p)}
${graphSection(p)}
${voices(p)}
<footer>Made by graphprof from run ${p.data.run.id} on ${esc(when(p.generatedAt.toISOString()))}. This file is self-contained: it loads nothing from the network.</footer>
</main>
<script type="application/json" id="segment-names">${scriptJson(names)}</script>
<script>${script}</script>
</body></html>
`;
}

// The search page: reads its state from the URL, asks GET /search, and draws
// hits, facets and pages. Every value from the index is inserted as text,
// never as markup.
'use strict';

const PAGE_SIZE = 10;
const MAX_OFFSET = 10000;
const FACET_SIZE = 24;
const SHOWN_VALUES = 8;
const FACETS = [
  { name: 'country', title: 'الدول' },
  { name: 'actor', title: 'الفاعلون', lookup: 'ابحث عن شخص أو جهة…' },
  { name: 'place', title: 'الأماكن', lookup: 'ابحث عن مكان…' },
  { name: 'source', title: 'المصادر' },
];
const DATE_FACETS = ['month', 'year'];

const $ = (id) => document.getElementById(id);
const numbers = new Intl.NumberFormat('ar', { numberingSystem: 'latn' });
// Country names seen in facet answers, for chips of active filters and hits.
const labels = new Map();
let inFlight = null;

/** The search as the URL describes it. */
function readState() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get('q') || '',
    filters: p.getAll('filter'),
    sort: p.get('sort') || 'relevance',
    from: p.get('from') || '',
    to: p.get('to') || '',
    page: Math.max(1, parseInt(p.get('page'), 10) || 1),
  };
}

function stateUrl(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const f of s.filters) p.append('filter', f);
  if (s.sort !== 'relevance') p.set('sort', s.sort);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.page > 1) p.set('page', String(s.page));
  const query = p.toString();
  return query ? `/?${query}` : '/';
}

/** Moves to a new search state: a new history entry, then a search. */
function go(changes) {
  const next = { ...readState(), page: 1, ...changes };
  history.pushState(null, '', stateUrl(next));
  render();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** A filter as a chip shows it: "country:TR" → "دولة: تركيا". */
function filterChipText(filter) {
  const i = filter.search(/[:=]/);
  const field = filter.slice(0, i);
  const value = filter.slice(i + 1);
  const names = { country: 'دولة', actor: 'فاعل', place: 'مكان', source: 'مصدر', category: 'قسم', date: 'تاريخ' };
  const shown = field === 'country' ? labels.get(value) || value : value;
  // Dates are numbers and dashes: keep them left to right inside the chip.
  return [`${names[field] || field}: `, el('bdi', { dir: field === 'date' ? 'ltr' : null, text: shown })];
}

function toggleFilter(filter) {
  const { filters } = readState();
  const next = filters.includes(filter) ? filters.filter((f) => f !== filter) : [...filters, filter];
  go({ filters: next });
}

/**
 * An article's URL as a link target: web addresses only. A URL comes from
 * the archive as it was indexed, and a `javascript:` or `data:` one must not
 * become a link (the page's policy would block it, leaving a dead link).
 */
function webUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch (e) {
    return null;
  }
}

function formatDate(iso) {
  return iso ? iso.slice(0, 10) : '';
}

/** The snippet with its highlighted ranges (character offsets) in <mark>. */
function snippetNode(snippet, highlights) {
  const chars = Array.from(snippet);
  const p = el('p', { class: 'snippet' });
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end > chars.length) continue;
    p.append(chars.slice(at, start).join(''), el('mark', { text: chars.slice(start, end).join('') }));
    at = end;
  }
  p.append(chars.slice(at).join(''), '…');
  return p;
}

function hitNode(hit) {
  const title = hit.title || hit.snippet.slice(0, 80) || hit.id;
  const meta = el('p', { class: 'meta' });
  if (hit.date) meta.append(el('time', { datetime: hit.date, text: formatDate(hit.date) }));
  if (hit.source) meta.append(el('bdi', { class: 'source', text: hit.source }));
  const url = webUrl(hit.url);
  if (url) meta.append(el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: 'الأصل ↗' }));
  const countries = el('div', { class: 'chips small' });
  for (const code of hit.countries) {
    countries.append(el('button', {
      class: 'chip', type: 'button', 'data-filter': `country:${code}`,
      text: labels.get(code) || code, onclick: () => toggleFilter(`country:${code}`),
    }));
  }
  return el('li', { class: 'hit', 'data-id': hit.id, 'data-countries': hit.countries.join(',') },
    el('h3', {}, el('a', {
      href: `/documents/${encodeURIComponent(hit.id)}`, class: 'title', text: title,
      onclick: (e) => { e.preventDefault(); openArticle(hit.id); },
    })),
    meta, snippetNode(hit.snippet, hit.highlights), countries);
}

function facetGroup(spec, values, active) {
  const list = el('ul', { class: 'values' });
  values.forEach((v, i) => {
    const filter = `${spec.name}:${v.value}`;
    const on = active.includes(filter);
    list.append(el('li', { class: i >= SHOWN_VALUES && !on ? 'extra' : null },
      el('button', {
        type: 'button', class: 'facet-value', 'aria-pressed': on ? 'true' : 'false',
        'data-field': spec.name, 'data-value': v.value, onclick: () => toggleFilter(filter),
      }, el('bdi', { class: 'label', text: v.label }), el('span', { class: 'count', text: numbers.format(v.count) }))));
  });
  const group = el('section', { class: 'facet', 'data-facet': spec.name }, el('h2', { text: spec.title }));
  if (spec.lookup) group.append(lookupInput(spec));
  if (values.length === 0) group.append(el('p', { class: 'none', text: 'لا شيء' }));
  group.append(list);
  if (values.length > SHOWN_VALUES) {
    group.append(el('button', {
      type: 'button', class: 'more', text: 'المزيد',
      onclick: (e) => { group.classList.toggle('open'); e.target.textContent = group.classList.contains('open') ? 'أقل' : 'المزيد'; },
    }));
  }
  return group;
}

/** An input that completes names from GET /facets/{field}?prefix=… */
function lookupInput(spec) {
  const listId = `lookup-${spec.name}`;
  const datalist = el('datalist', { id: listId });
  let timer = null;
  const input = el('input', {
    type: 'search', class: 'lookup', list: listId, placeholder: spec.lookup, 'aria-label': spec.lookup,
    oninput: () => {
      clearTimeout(timer);
      const prefix = input.value.trim();
      if (!prefix) return;
      timer = setTimeout(async () => {
        const r = await fetch(`/facets/${spec.name}?limit=10&prefix=${encodeURIComponent(prefix)}`);
        if (!r.ok) return;
        const { values } = await r.json();
        datalist.replaceChildren(...values.map((v) => el('option', { value: v.value, text: `${numbers.format(v.count)}` })));
      }, 150);
    },
    onkeydown: (e) => {
      const typed = input.value.trim();
      if (e.key !== 'Enter' || !typed) return;
      e.preventDefault();
      // Enter takes the value typed if it is one, else the best completion.
      const options = [...datalist.options].map((o) => o.value);
      toggleFilter(`${spec.name}:${options.includes(typed) || options.length === 0 ? typed : options[0]}`);
    },
    onchange: () => {
      const value = input.value.trim();
      if ([...datalist.options].some((o) => o.value === value)) toggleFilter(`${spec.name}:${value}`);
    },
  });
  return el('div', { class: 'lookup-box' }, input, datalist);
}

/**
 * Buckets for the date histogram: months when all of them are in the answer
 * and they span at most two years, else years; empty buckets in between are
 * kept so that the axis is to scale.
 */
function dateBuckets(facets) {
  const months = facets.month || [];
  const years = facets.year || [];
  const counts = (values) => new Map(values.map((v) => [v.value, v.count]));
  const key = (v) => Number(v.slice(0, 4)) * 12 + Number(v.slice(5, 7)) - 1;
  const out = [];
  if (months.length > 0 && years.length > 0 && months[0].value.startsWith(years[0].value)
      && key(months[months.length - 1].value) - key(months[0].value) < 24) {
    const have = counts(months);
    const first = key(months[0].value);
    const last = key(months[months.length - 1].value);
    for (let k = first; k <= last; k += 1) {
      const value = `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
      const labelled = last - first < 12 || (k - first) % 3 === 0;
      out.push({
        value, count: have.get(value) || 0, tick: labelled ? value.slice(5) : '',
        year: k % 12 === 0 || k === first ? value.slice(0, 4) : '',
      });
    }
    return out;
  }
  if (years.length === 0) return out;
  const have = counts(years);
  const first = Number(years[0].value);
  const last = Number(years[years.length - 1].value);
  for (let y = first; y <= last; y += 1) {
    const labelled = last - first < 8 || (y - first) % 5 === 0;
    out.push({ value: String(y), count: have.get(String(y)) || 0, tick: labelled ? String(y) : '', year: '' });
  }
  return out;
}

/** Article counts over time; a bar toggles a date filter. */
function histogram(facets, active) {
  const buckets = dateBuckets(facets);
  const group = el('section', { class: 'facet', 'data-facet': 'date' }, el('h2', { text: 'التوزيع الزمني' }));
  if (buckets.length === 0) {
    group.append(el('p', { class: 'none', text: 'لا تواريخ' }));
    return group;
  }
  const max = Math.max(...buckets.map((b) => b.count));
  const bars = el('div', { class: 'histogram', role: 'list' });
  for (const b of buckets) {
    const filter = `date:${b.value}`;
    const bar = el('span', { class: 'bar' });
    bar.style.height = b.count ? `${Math.max(4, Math.round((100 * b.count) / max))}%` : '0';
    bars.append(el('button', {
      type: 'button', role: 'listitem', class: 'column', disabled: b.count === 0 && !active.includes(filter),
      'aria-pressed': active.includes(filter) ? 'true' : 'false',
      title: `${b.value}: ${numbers.format(b.count)}`, 'data-value': b.value, onclick: () => toggleFilter(filter),
    }, bar, el('span', { class: 'tick', text: b.tick || '\u00a0' }), el('span', { class: 'tick year', text: b.year || '\u00a0' })));
  }
  group.append(bars);
  return group;
}

function pagesNode(total, page) {
  const last = Math.max(1, Math.min(Math.ceil(total / PAGE_SIZE), Math.floor(MAX_OFFSET / PAGE_SIZE) + 1));
  const nav = document.createDocumentFragment();
  if (last === 1) return nav;
  const link = (n, text, current) => el('a', {
    href: stateUrl({ ...readState(), page: n }), text, 'aria-current': current ? 'page' : null, 'data-page': n,
    onclick: (e) => { e.preventDefault(); go({ page: n }); window.scrollTo(0, 0); },
  });
  if (page > 1) nav.append(link(page - 1, 'السابق'));
  const from = Math.max(1, page - 3);
  const to = Math.min(last, page + 3);
  if (from > 1) nav.append(link(1, numbers.format(1)), from > 2 ? el('span', { text: '…' }) : '');
  for (let n = from; n <= to; n += 1) nav.append(link(n, numbers.format(n), n === page));
  if (to < last) nav.append(to < last - 1 ? el('span', { text: '…' }) : '', link(last, numbers.format(last)));
  if (page < last) nav.append(link(page + 1, 'التالي'));
  return nav;
}

/** The active filters, each a chip that removes it. */
function renderChips(filters) {
  $('active').replaceChildren(...filters.map((f) => el('button', {
    type: 'button', class: 'chip active', 'data-filter': f, title: 'إزالة المرشح', onclick: () => toggleFilter(f),
  }, ...filterChipText(f), ' ×')));
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

// What narrowed the search in a way the hits do not show (a prefix
// standing for only its most frequent words …), above the results.
function showNotes(notes) {
  const list = $('notes');
  list.replaceChildren(...notes.map((note) => {
    const item = document.createElement('li');
    item.textContent = note.message;
    item.dataset.code = note.code;
    return item;
  }));
  list.hidden = notes.length === 0;
}

/** Draws the page for the URL's state. */
async function render() {
  const s = readState();
  $('q').value = s.q;
  $('sort').value = s.sort;
  $('from').value = s.from;
  $('to').value = s.to;
  renderChips(s.filters);
  showError('');
  showNotes([]);
  if (!s.q.trim() && s.filters.length === 0 && !s.from && !s.to) {
    document.title = 'أخبار — البحث في الأرشيف';
    $('hits').replaceChildren();
    $('pages').replaceChildren();
    $('facets').replaceChildren();
    $('summary').removeAttribute('data-total');
    welcome();
    return;
  }
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  for (const f of s.filters) params.append('filter', f);
  for (const f of [...FACETS.map((x) => x.name), ...DATE_FACETS]) params.append('facet', f);
  if (s.sort !== 'relevance') params.set('sort', s.sort);
  if (s.from) params.set('from', s.from);
  if (s.to) params.set('to', s.to);
  params.set('limit', String(PAGE_SIZE));
  params.set('offset', String(Math.min((s.page - 1) * PAGE_SIZE, MAX_OFFSET)));
  params.set('facet_size', String(FACET_SIZE));
  if (inFlight) inFlight.abort();
  inFlight = new AbortController();
  document.body.classList.add('loading');
  let response;
  try {
    const r = await fetch(`/search?${params}`, { signal: inFlight.signal });
    const body = await r.json();
    if (!r.ok) {
      showError(body.error ? body.error.message : `خطأ ${r.status}`);
      $('summary').textContent = '';
      $('hits').replaceChildren();
      $('pages').replaceChildren();
      return;
    }
    response = body;
  } catch (e) {
    if (e.name !== 'AbortError') showError(`تعذر الاتصال بالخادم: ${e.message}`);
    return;
  } finally {
    document.body.classList.remove('loading');
  }
  for (const v of response.facets.country || []) labels.set(v.value, v.label);
  renderChips(s.filters);
  document.title = `${s.q || 'تصفح'} — أخبار`;
  const summary = $('summary');
  summary.dataset.total = String(response.total);
  summary.textContent = response.total === 0
    ? 'لا نتائج. جرّب كلمات أقل أو أزل بعض المرشحات.'
    : `${numbers.format(response.total)} نتيجة`
      + (response.partial_total ? ` و${numbers.format(response.partial_total)} فيها بعض الكلمات` : '')
      + ` · ${response.took_ms.toFixed(1)} م.ث`;
  showNotes(response.notes || []);
  $('hits').start = (s.page - 1) * PAGE_SIZE + 1;
  $('hits').replaceChildren(...response.hits.map(hitNode));
  $('facets').replaceChildren(
    ...FACETS.map((spec) => facetGroup(spec, response.facets[spec.name] || [], s.filters)),
    histogram(response.facets, s.filters),
  );
  $('pages').replaceChildren(pagesNode(response.total + (response.partial_total || 0), s.page));
}

async function welcome() {
  $('summary').textContent = 'اكتب كلمة أو عبارة للبحث في الأرشيف.';
  try {
    const r = await fetch('/stats');
    if (r.ok && !readState().q) {
      const stats = await r.json();
      $('summary').textContent = `ابحث في ${numbers.format(stats.documents)} مقالة: اكتب كلمة أو عبارة، ثم صفِّ النتائج حسب الدولة أو الفاعل أو المكان أو المصدر أو التاريخ.`;
    }
  } catch (e) { /* the prompt above stays */ }
}

async function openArticle(id) {
  const dialog = $('article');
  const r = await fetch(`/documents/${encodeURIComponent(id)}`);
  const body = await r.json();
  if (!r.ok) {
    showError(body.error ? body.error.message : `خطأ ${r.status}`);
    return;
  }
  $('article-title').textContent = body.title || body.id;
  const meta = [formatDate(body.date), body.source, body.category, body.author].filter(Boolean);
  $('article-meta').replaceChildren(...meta.map((m) => el('bdi', { text: m })));
  const chip = (filter, text) => el('button', {
    type: 'button', class: 'chip', text, onclick: () => { dialog.close(); toggleFilter(filter); },
  });
  $('article-entities').replaceChildren(
    ...body.countries.map((c) => chip(`country:${c.code}`, c.name)),
    ...body.places.map((p) => chip(`place:${p}`, p)),
    ...body.actors.map((a) => chip(`actor:${a}`, a)),
  );
  $('article-body').replaceChildren(...body.body.split(/\n+/).filter((t) => t.trim()).map((t) => el('p', { text: t })));
  const link = $('article-url');
  const url = webUrl(body.url);
  link.hidden = !url;
  if (url) link.href = url;
  else link.removeAttribute('href');
  dialog.showModal();
}

document.addEventListener('DOMContentLoaded', () => {
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    go({ q: $('q').value.trim() });
  });
  $('sort').addEventListener('change', () => go({ sort: $('sort').value }));
  $('from').addEventListener('change', () => go({ from: $('from').value }));
  $('to').addEventListener('change', () => go({ to: $('to').value }));
  window.addEventListener('popstate', render);
  if (window.matchMedia('(max-width: 760px)').matches) $('panel').open = false;
  render();
});

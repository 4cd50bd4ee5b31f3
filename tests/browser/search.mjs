// Drives the search page of a running `akhbar serve` in headless Chromium,
// as a person would: search, click a country, check hits and counts, share
// the URL, page, open an article. Writes screenshots for a look.
//
//   node tests/browser/search.mjs http://127.0.0.1:PORT/ OUT_DIR
//
// Run by `cargo test` (tests/server.rs), which starts the server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.error('usage: node search.mjs BASE_URL OUT_DIR');
  process.exit(2);
}

let checks = 0;
function check(what, fn) {
  return Promise.resolve(fn()).then(() => {
    checks += 1;
    console.log(`ok - ${what}`);
  });
}

const profile = mkdtempSync(join(tmpdir(), 'akhbar-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
  viewport: { width: 1280, height: 1000 },
  locale: 'ar',
});

const failures = [];
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  // A 400 is expected once (the malformed query below); any other failed
  // load or script error is a fault.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 400/.test(m.text())) failures.push(`console error: ${m.text()}`);
  });
  const total = async () => Number(await page.getAttribute('#summary', 'data-total'));
  const api = async (path) => (await fetch(new URL(path, base))).json();

  await page.goto(base);
  await check('the page is right-to-left Arabic and welcomes with the archive size', async () => {
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.waitForFunction(() => /\d/.test(document.querySelector('#summary').textContent));
  });

  // Search as a person would: type and press Enter.
  await page.fill('#q', 'بيرقدار');
  await page.press('#q', 'Enter');
  await page.waitForSelector('#summary[data-total]');
  const expected = await api(`/search?q=${encodeURIComponent('بيرقدار')}&facet=country&facet_size=24`);
  let all;
  await check('searching بيرقدار shows the hits and total of the API', async () => {
    all = await total();
    assert.equal(all, expected.total);
    assert.ok(all >= 2, `only ${all} hits`);
    const hitIds = await page.$$eval('li.hit', (els) => els.map((e) => e.dataset.id));
    assert.deepEqual(hitIds, expected.hits.map((h) => h.id));
    assert.ok(page.url().includes(`q=${encodeURIComponent('بيرقدار')}`), page.url());
  });
  await check('snippets highlight the word searched', async () => {
    const marks = await page.$$eval('li.hit mark', (els) => els.map((e) => e.textContent));
    assert.ok(marks.length >= 1);
    for (const m of marks) assert.ok(m.replace(/[\u064B-\u0652]/g, '').includes('بيرقدار'), m);
  });

  // The country facet: pick a country that narrows the results.
  const countries = await page.$$eval('button.facet-value[data-field="country"]', (els) => els.map((e) => ({
    value: e.dataset.value,
    label: e.querySelector('.label').textContent,
    count: Number(e.querySelector('.count').textContent.replace(/[^\d]/g, '')),
  })));
  await check('the country facet lists countries by name with the API\'s counts', async () => {
    assert.ok(countries.length >= 2);
    const fromApi = expected.facets.country.slice(0, countries.length).map((v) => ({ value: v.value, label: v.label, count: v.count }));
    assert.deepEqual(countries, fromApi);
    assert.ok(countries.some((c) => c.value === 'TR' && c.label === 'تركيا'));
  });
  const pick = countries.find((c) => c.count < all) || countries[0];
  await page.click(`button.facet-value[data-field="country"][data-value="${pick.value}"]`);
  await page.waitForFunction((n) => document.querySelector('#summary').dataset.total === String(n)
    && !document.body.classList.contains('loading'), pick.count);
  await check(`clicking ${pick.label} keeps the ${pick.count} hits that name it`, async () => {
    assert.equal(await total(), pick.count);
    const hitCountries = await page.$$eval('li.hit', (els) => els.map((e) => e.dataset.countries.split(',')));
    assert.equal(hitCountries.length, Math.min(pick.count, 10));
    for (const cs of hitCountries) assert.ok(cs.includes(pick.value), cs.join(','));
    assert.equal(await page.getAttribute(`button.facet-value[data-field="country"][data-value="${pick.value}"]`, 'aria-pressed'), 'true');
    assert.ok(await page.isVisible(`#active .chip[data-filter="country:${pick.value}"]`));
    assert.ok(new URL(page.url()).searchParams.getAll('filter').includes(`country:${pick.value}`), page.url());
  });
  await page.screenshot({ path: join(outDir, 'search.png'), fullPage: true });

  await check('the URL is enough to share the search', async () => {
    const other = await context.newPage();
    await other.goto(page.url());
    await other.waitForSelector('#summary[data-total]');
    assert.equal(await other.getAttribute('#summary', 'data-total'), String(pick.count));
    assert.equal(await other.inputValue('#q'), 'بيرقدار');
    // The chip names the country, though the page started from a bare code.
    assert.equal(await other.textContent(`#active .chip[data-filter="country:${pick.value}"] bdi`), pick.label);
    await other.close();
  });

  await page.click(`#active .chip[data-filter="country:${pick.value}"]`);
  await page.waitForFunction((n) => document.querySelector('#summary').dataset.total === String(n), all);
  await check('removing the filter brings all hits back', async () => {
    assert.equal(await total(), all);
    assert.equal(await page.$$eval('#active .chip', (els) => els.length), 0);
  });
  await page.goBack();
  await page.waitForFunction((n) => document.querySelector('#summary').dataset.total === String(n), pick.count);
  await check('the back button returns to the filtered search', async () => {
    assert.equal(await total(), pick.count);
  });

  // Pages, on a word with many hits, without the filter of the search above.
  await page.goto(`${base}?q=${encodeURIComponent('روسيا')}`);
  await page.waitForFunction(() => document.querySelector('#q').value === 'روسيا'
    && document.querySelector('#summary').dataset.total && !document.body.classList.contains('loading'));
  const many = await total();
  const firstPage = await page.$$eval('li.hit', (els) => els.map((e) => e.dataset.id));
  await page.click('#pages a[data-page="2"]');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('page') === '2'
    && !document.body.classList.contains('loading'));
  await check('page 2 shows the next hits', async () => {
    assert.ok(many > 10, `${many} hits`);
    const second = await page.$$eval('li.hit', (els) => els.map((e) => e.dataset.id));
    const fromApi = await api(`/search?q=${encodeURIComponent('روسيا')}&limit=10&offset=10`);
    assert.deepEqual(second, fromApi.hits.map((h) => h.id));
    assert.ok(second.every((id) => !firstPage.includes(id)));
    assert.equal(await page.getAttribute('#hits', 'start'), '11');
  });

  await check('a month bar filters by date', async () => {
    const bar = page.locator('.histogram .column').first();
    const month = await bar.getAttribute('data-value');
    await bar.click();
    await page.waitForFunction((m) => new URL(location.href).searchParams.getAll('filter').includes(`date:${m}`)
      && !document.body.classList.contains('loading'), month);
    const dates = await page.$$eval('li.hit time', (els) => els.map((e) => e.getAttribute('datetime')));
    assert.ok(dates.length > 0);
    for (const d of dates) assert.ok(d.startsWith(month), `${d} not in ${month}`);
  });

  await check('an actor is found by the start of a name and becomes a filter', async () => {
    await page.goto(`${base}?q=${encodeURIComponent('روسيا')}`);
    await page.waitForSelector('#summary[data-total]');
    const lookup = page.locator('.facet[data-facet="actor"] input.lookup');
    await lookup.pressSequentially('بوت', { delay: 30 });
    await page.waitForFunction(() => document.querySelectorAll('#lookup-actor option').length > 0);
    const first = await page.getAttribute('#lookup-actor option', 'value');
    assert.equal(first, 'فلاديمير بوتين');
    await lookup.press('Enter');
    const filter = `actor:${first}`;
    await page.waitForFunction((f) => new URL(location.href).searchParams.getAll('filter').includes(f)
      && !document.body.classList.contains('loading') && document.querySelector('#summary').dataset.total, filter);
    const expected = await api(`/search?q=${encodeURIComponent('روسيا')}&filter=${encodeURIComponent(filter)}`);
    assert.ok(expected.total > 0);
    await page.waitForFunction((n) => document.querySelector('#summary').dataset.total === String(n), expected.total);
  });

  await check('a title opens the article with its entities', async () => {
    const first = page.locator('li.hit a.title').first();
    await first.click();
    await page.waitForSelector('dialog#article[open]');
    const paragraphs = await page.$$eval('#article-body p', (els) => els.length);
    assert.ok(paragraphs >= 1);
    assert.ok((await page.textContent('#article-title')).length > 0);
    await page.screenshot({ path: join(outDir, 'article.png') });
    await page.keyboard.press('Escape');
  });

  await check('markup from an article is text, and only web URLs are links', async () => {
    // The archive's text as the API answers it, with markup and a script URL.
    const evil = '<img src=x onerror="window.pwned=1">';
    const hit = {
      id: 'x/1?a=b#c', score: 1, title: `${evil} عنوان`, date: null, source: '<b>src</b>',
      url: 'javascript:window.pwned=1', snippet: `نص ${evil}`, highlights: [[0, 2]],
      partial: false, countries: [], places: [], actors: [],
    };
    const article = {
      id: hit.id, title: hit.title, body: hit.snippet, date: null, source: null, category: null,
      url: hit.url, author: null, countries: [], places: [], actors: [],
    };
    await page.route('**/search?*', (route) => route.fulfill({
      json: { query: 'x', total: 1, partial_total: 0, took_ms: 1, hits: [hit], facets: {} },
    }));
    await page.route('**/documents/*', (route) => route.fulfill({ json: article }));
    await page.goto(`${base}?q=x`);
    await page.waitForSelector('li.hit');
    assert.equal(await page.textContent('li.hit a.title'), hit.title);
    assert.equal(await page.$$eval('#hits img, #hits b', (els) => els.length), 0);
    assert.equal(await page.$$eval('#hits a[href^="javascript"]', (els) => els.length), 0);
    assert.equal(await page.getAttribute('li.hit a.title', 'href'), `/documents/${encodeURIComponent(hit.id)}`);
    await page.click('li.hit a.title');
    await page.waitForSelector('dialog#article[open]');
    assert.equal(await page.isHidden('#article-url'), true);
    assert.equal(await page.getAttribute('#article-url', 'href'), null);
    assert.equal(await page.$$eval('#article img', (els) => els.length), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await page.keyboard.press('Escape');
    await page.unrouteAll();
  });

  await check('the notes of a search are shown above the results', async () => {
    const q = 'ال*';
    const fromApi = await api(`/search?q=${encodeURIComponent(q)}&limit=0`);
    assert.ok((fromApi.notes || []).length > 0, 'no note to show');
    await page.goto(`${base}?q=${encodeURIComponent(q)}`);
    await page.waitForSelector('#notes:not([hidden]) li');
    const shown = await page.$$eval('#notes li', (els) => els.map((e) => e.textContent));
    assert.deepEqual(shown, fromApi.notes.map((n) => n.message));
  });

  await check('an error from the API is shown, not swallowed', async () => {
    await page.goto(`${base}?q=${encodeURIComponent('"قره باغ')}`);
    await page.waitForSelector('#error:not([hidden])');
    assert.match(await page.textContent('#error'), /quote/);
  });

  await check('on a phone the results come first and the facets fold away', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}?q=${encodeURIComponent('بيرقدار')}`);
    await phone.waitForSelector('#summary[data-total]');
    await phone.screenshot({ path: join(outDir, 'search-phone.png'), fullPage: true });
    assert.equal(await phone.getAttribute('#panel', 'open'), null);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page is ${width}px wide`);
    await phone.close();
  });

  assert.deepEqual(failures, []);
  console.log(`browser: ${checks} checks passed`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

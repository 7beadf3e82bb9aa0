'use strict';
// render.js: the 2.0 Questionnaire of `cdguide export-fhir` in LHC-Forms,
// in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is downloaded). The page and LHC-Forms' files
// are served over http on 127.0.0.1, as LHC-Forms' web component does not
// start from file://. It checks that
//  1. every question of the Questionnaire is an item of the rendered form,
//     in order, with its text, type, required flag and help text;
//  2. every conditional question is hidden with no answers, appears once an
//     answer that enables it is given (enable_when.json, written by hand
//     from the pack) and disappears again when that answer is taken back,
//     both in LHC-Forms' data model and on the page; some answers by real
//     clicks on the rendered controls, the rest through the data model;
//     and that these checks catch a wrong, a dropped and a weakened
//     enableWhen (three corrupted copies of the Questionnaire);
//  3. an integer and a date item take valid values and the integer's
//     bounds refuse others; the number item takes a score;
//  4. LHC-Forms' QuestionnaireResponse of a filled form reads back with
//     `cdguide run --answers` to the answers filled in.
// Usage: node render.js CDGUIDE TESTDIR NODE_MODULES OUTDIR
const fs = require('fs');
const path = require('path');
const http = require('http');
const { execFileSync } = require('child_process');

const [bin, here, modules, out] = process.argv.slice(2);
const { chromium } = require(path.join(modules, 'playwright-core'));
const dist = path.join(modules, 'lforms', 'dist', 'lforms');
const table = JSON.parse(fs.readFileSync(path.join(here, 'enable_when.json'))).items;

let fails = 0;
function fail(msg) {
  console.log('lforms: FAIL: ' + msg);
  fails++;
}

// ---- the Questionnaire -------------------------------------------------
const qtext = execFileSync(bin, ['export-fhir'], { encoding: 'utf8' });
fs.writeFileSync(path.join(out, 'questionnaire.json'), qtext);
const questionnaire = JSON.parse(qtext);

// Questions (not display items) in document order; a question's help is
// its display child with the "help" item control.
function questions(items, acc = []) {
  for (const it of items || []) {
    if (it.type !== 'display') acc.push(it);
    questions(it.item, acc);
  }
  return acc;
}
const qitems = questions(questionnaire.item);
const byId = Object.fromEntries(qitems.map(it => [it.linkId, it]));
function helpOf(it) {
  const h = (it.item || []).find(c => c.type === 'display' &&
    JSON.stringify(c.extension || []).includes('"code":"help"'));
  return h ? h.text : null;
}
function codes(id) {
  return (byId[id].answerOption || []).map(o => o.valueCoding.code);
}
function display(id, code) {
  const o = byId[id].answerOption.find(o => o.valueCoding.code === code);
  return o.valueCoding.display;
}
const controls = [...new Set(Object.values(table).map(e => e.question))];

// ---- what must be shown ------------------------------------------------
// A conditional question is shown when the question it reads is shown and
// holds one of its answers. A hidden question's answer counts as no answer
// (FHIR R4, Questionnaire.item.enableWhen), as in cdguide's walker.
function shown(id, answers) {
  const e = table[id];
  if (!e) return true;
  if (!shown(e.question, answers)) return false;
  const a = answers[e.question];
  const given = a == null ? [] : Array.isArray(a) ? a : [a];
  return e.any_of.some(c => given.includes(c));
}

// ---- the http server ---------------------------------------------------
const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html',
  '.png': 'image/png', '.map': 'application/json' };
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split('?')[0]);
  let file = null;
  if (url === '/') file = path.join(here, 'page.html');
  else if (url.startsWith('/lforms/')) {
    const f = path.join(dist, path.normalize(url.slice('/lforms/'.length)));
    if (f.startsWith(dist + path.sep)) file = f;
  }
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
  res.end(fs.readFileSync(file));
});

// ---- in the page -------------------------------------------------------
// Set an answer through LHC-Forms' data model, inside Angular's zone so
// that the page follows: codes (an array for a question that repeats) or a
// plain value; null takes the answer back.
function pageSet([linkId, v]) {
  const fd = LForms.Util._getFormObjectInScope('#f');
  const it = fd.itemList.find(i => i.linkId === linkId);
  if (!it) return 'no item ' + linkId;
  let value = v;
  if (v != null && it.answers) {
    const one = c => it.answers.find(a => a.code === c);
    const list = (Array.isArray(v) ? v : [v]).map(one);
    if (list.some(a => !a)) return linkId + ': no answer ' + JSON.stringify(v);
    value = it._multipleAnswers ? list : list[0];
  }
  const zone = document.querySelector('wc-lhc-form')._ngElementStrategy.ngZone;
  zone.run(() => {
    it.value = value;
    fd.updateOnSourceItemChange(it);
  });
  return null;
}
// Each question: enabled in the data model, and rendered on the page.
function pageState() {
  const fd = LForms.Util._getFormObjectInScope('#f');
  const s = {};
  for (const it of fd.itemList) {
    s[it.linkId] = {
      model: it._skipLogicStatus !== 'target-disabled',
      page: !!document.getElementById('item-' + it.linkId + it._idPath),
    };
  }
  return s;
}

async function load(page, q) {
  await page.evaluate(q => LForms.Util.addFormToPage(q, 'f', { fhirVersion: 'R4' }), q);
  await page.waitForFunction(() => {
    const fd = LForms.Util._getFormObjectInScope('#f');
    return fd && fd._formReady && document.querySelector('wc-lhc-form lhc-item');
  }, null, { timeout: 15000 });
}

// Wait until every question is shown or hidden as `answers` asks; on a
// timeout, return each difference. LHC-Forms follows an answer in well
// under 100 ms here; once something failed, waits are short, so that a
// broken form still ends within the time limit.
async function check(page, answers) {
  const want = {};
  for (const it of qitems) want[it.linkId] = shown(it.linkId, answers);
  try {
    await page.waitForFunction(want => {
      const fd = LForms.Util._getFormObjectInScope('#f');
      return fd.itemList.every(it => {
        const w = want[it.linkId];
        const m = it._skipLogicStatus !== 'target-disabled';
        const p = !!document.getElementById('item-' + it.linkId + it._idPath);
        return m === w && p === w;
      });
    }, want, { timeout: fails ? 500 : 2000, polling: 50 });
    return [];
  } catch (e) {
    const got = await page.evaluate(pageState);
    const diff = [];
    for (const id of Object.keys(want)) {
      const g = got[id];
      if (!g) diff.push(id + ': not in the form');
      else if (g.model !== want[id] || g.page !== want[id])
        diff.push(`${id}: ${want[id] ? 'should be shown' : 'should be hidden'}` +
          ` (data model: ${g.model ? 'enabled' : 'disabled'}, page: ${g.page ? 'rendered' : 'absent'})`);
    }
    return diff.length ? diff : ['timed out: ' + e.message.split('\n')[0]];
  }
}

async function set(page, answers, id, v) {
  const err = await page.evaluate(pageSet, [id, v]);
  if (err) throw new Error(err);
  if (v == null) delete answers[id];
  else answers[id] = v;
}

// The answer sequence of (2), through the data model; returns every
// difference, each with the answers it was seen under, and the number of
// answer states checked. With `until`, it stops at the first difference
// that `until` accepts.
class Found extends Error {}
async function enableWhenSequence(page, until) {
  const found = [];
  const answers = {};
  let steps = 0;
  const step = async label => {
    steps++;
    for (const d of await check(page, answers)) {
      found.push(`${label}: ${d}`);
      if (until && until(d)) throw new Found();
    }
  };
  try {
    await walk(page, answers, step);
  } catch (e) {
    if (!(e instanceof Found)) throw e;
  }
  return { found, steps };
}
async function walk(page, answers, step) {
  await step('no answers');
  for (const c of controls.filter(c => !table[c])) {
    for (const code of codes(c)) {
      await set(page, answers, c, byId[c].repeats ? [code] : code);
      await step(`${c} = ${code}`);
    }
    if (byId[c].repeats) {
      const all = codes(c).filter(x => !isExclusive(c, x));
      await set(page, answers, c, all);
      await step(`${c} = ${all.join(',')}`);
    }
    await set(page, answers, c, null);
    await step(`${c} taken back`);
  }
  // A control that is itself conditional: enable it, walk its answers,
  // then hide it while its answer stays (its dependants must hide too).
  for (const c of controls.filter(c => table[c])) {
    const parent = table[c];
    await set(page, answers, parent.question, [parent.any_of[0]]);
    await step(`${parent.question} = ${parent.any_of[0]}`);
    for (const code of codes(c)) {
      await set(page, answers, c, byId[c].repeats ? [code] : code);
      await step(`${c} = ${code}`);
    }
    const all = codes(c).filter(x => !isExclusive(c, x));
    await set(page, answers, c, all);
    await step(`${c} = ${all.join(',')}`);
    await set(page, answers, parent.question, null);
    await step(`${parent.question} taken back, ${c} still ${all.join(',')}`);
    await set(page, answers, c, null);
    await step(`${c} taken back`);
  }
}
function isExclusive(id, code) {
  const o = byId[id].answerOption.find(o => o.valueCoding.code === code);
  return JSON.stringify(o.extension || []).includes('optionExclusive');
}

// Real clicks: open a question's list and click an answer by its label.
async function clickAnswer(page, id, code) {
  await page.click(`[id="${id}/1"]`);
  await page.click(`#completionOptions li:has-text(${JSON.stringify(display(id, code))})`);
  await page.keyboard.press('Escape');
}
// Take back a chosen answer of a question that repeats: its × button.
async function clickRemove(page, id, code) {
  const label = JSON.stringify(`"${display(id, code)}" item remove`);
  await page.click(`[id="item-${id}/1"] button[aria-label=${label}]`);
}
// Type into a text, number or date field, then leave it.
async function type(page, id, text) {
  await page.fill(`[id="${id}/1"]`, '');
  await page.click(`[id="${id}/1"]`);
  await page.keyboard.type(text);
  await page.keyboard.press('Tab');
}
// An item's value and validation errors, once `ok` holds for them (LHC-Forms
// validates a moment after the field is left), or as they are at the end.
async function itemValue(page, id, ok) {
  const get = () => page.evaluate(id => {
    const it = LForms.Util._getFormObjectInScope('#f').itemList.find(i => i.linkId === id);
    const value = it.value instanceof Date ? it.value.toISOString() : it.value;
    return { value, errors: it._validationErrors || [] };
  }, id);
  for (let t = 0; t < 40; t++) {
    const v = await get();
    if (ok(v)) return v;
    await page.waitForTimeout(100);
  }
  return get();
}

// ---- (1) the item tree -------------------------------------------------
async function itemTree(page) {
  const items = await page.evaluate(() =>
    LForms.Util._getFormObjectInScope('#f').itemList.map(it => ({
      linkId: it.linkId, text: it.question, dataType: it.dataType,
      required: !!(it.answerCardinality && it.answerCardinality.min === '1'),
      help: it.codingInstructions || null, repeats: !!it._multipleAnswers,
    })));
  const ids = items.map(i => i.linkId).join(' ');
  const want = qitems.map(i => i.linkId).join(' ');
  if (ids !== want) fail(`the form's items are\n  ${ids}\nnot\n  ${want}`);
  const dtype = { choice: 'CODING', integer: 'INT', date: 'DT', decimal: 'REAL', string: 'ST' };
  for (const it of items) {
    const q = byId[it.linkId];
    if (!q) continue;
    if (it.text !== q.text) fail(`${it.linkId}: text "${it.text}"`);
    if (it.dataType !== dtype[q.type]) fail(`${it.linkId}: type ${it.dataType}, not ${dtype[q.type]}`);
    if (it.required !== !!q.required) fail(`${it.linkId}: required is ${it.required}`);
    if (it.repeats !== !!q.repeats) fail(`${it.linkId}: repeats is ${it.repeats}`);
    if (it.help !== helpOf(q)) fail(`${it.linkId}: help "${it.help}"`);
  }
  return items.length;
}

async function main() {
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', e => fail('page error: ' + e.message));
    // Nothing but the local server: the page must not reach out.
    await page.route('**/*', r => r.request().url().startsWith(base) ? r.continue() : r.abort());
    await page.goto(base);
    await page.waitForFunction(() => window.LForms && LForms.Util &&
      LForms.Util.addFormToPage && LForms.FHIR, null, { timeout: 30000 });
    const version = await page.evaluate(() => LForms.lformsVersion);

    // (1)
    await load(page, questionnaire);
    const n = await itemTree(page);

    // (2) the items with an enableWhen are those the pack makes conditional
    const conditional = qitems.filter(i => i.enableWhen).map(i => i.linkId).sort().join(' ');
    const expected = Object.keys(table).sort().join(' ');
    if (conditional !== expected)
      fail(`the items with an enableWhen are\n  ${conditional}\nnot\n  ${expected}`);

    // (2) by real clicks on the rendered controls
    const answers = {};
    const expect = async label => {
      for (const d of await check(page, answers)) fail(`click, ${label}: ${d}`);
    };
    await expect('no answers');
    await clickAnswer(page, 'treatments_tried', 'botulinum_toxin');
    answers.treatments_tried = ['botulinum_toxin'];
    await expect('botulinum_toxin clicked');
    await clickAnswer(page, 'treatments_tried', 'spasm_drugs');
    answers.treatments_tried.push('spasm_drugs');
    await expect('spasm_drugs clicked');
    await clickAnswer(page, 'spasm_drugs_taken', 'baclofen');
    answers.spasm_drugs_taken = ['baclofen'];
    await expect('baclofen clicked');
    await clickRemove(page, 'treatments_tried', 'spasm_drugs');
    answers.treatments_tried = ['botulinum_toxin'];
    await expect('spasm_drugs removed, baclofen still chosen');
    await clickRemove(page, 'treatments_tried', 'botulinum_toxin');
    delete answers.treatments_tried;
    await expect('botulinum_toxin removed');
    await clickAnswer(page, 'severity_scale', 'other');
    answers.severity_scale = 'other';
    await expect('severity_scale "other" clicked');
    await clickAnswer(page, 'severity_scale', 'tsui');
    answers.severity_scale = 'tsui';
    await expect('severity_scale "tsui" clicked');
    await type(page, 'severity_scale', '');
    delete answers.severity_scale;
    await expect('severity_scale emptied');

    // (2) through the data model, every control and answer
    await load(page, questionnaire);
    const seq = await enableWhenSequence(page);
    for (const d of seq.found) fail(d);

    // (3) integer, date and number, typed; then (4) a whole form
    await load(page, questionnaire);
    await clickAnswer(page, 'treatments_tried', 'botulinum_toxin');
    await clickAnswer(page, 'treatments_tried', 'spasm_drugs');
    await page.waitForSelector('[id="botulinum_toxin_cycles/1"]');
    // The integer's bounds are 1..200 (pack.json); LHC-Forms keeps the
    // typed text, and writes valueInteger.
    for (const [text, ok] of [['500', false], ['0', false], ['14', true]]) {
      await type(page, 'botulinum_toxin_cycles', text);
      const good = v => Number(v.value) === 14 && !v.errors.length;
      const v = await itemValue(page, 'botulinum_toxin_cycles', ok ? good : v => v.errors.length > 0);
      if (ok && !good(v)) fail(`botulinum_toxin_cycles: "${text}" gave ${JSON.stringify(v)}`);
      if (!ok && !v.errors.length)
        fail(`botulinum_toxin_cycles: "${text}" (outside 1..200) was taken: ${JSON.stringify(v)}`);
    }
    // A date is typed as LHC-Forms shows it (MM/DD/YYYY).
    await page.click('[id="botulinum_toxin_last_given/1"] input');
    await page.keyboard.type('05/14/2025');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const dateOk = v => typeof v.value === 'string' && v.value.startsWith('2025-05-14') && !v.errors.length;
    const d = await itemValue(page, 'botulinum_toxin_last_given', dateOk);
    if (!dateOk(d)) fail(`botulinum_toxin_last_given: "05/14/2025" gave ${JSON.stringify(d)}`);
    await clickAnswer(page, 'severity_scale', 'tsui');
    await page.waitForSelector('[id="severity_score/1"]');
    await type(page, 'severity_score', '12.5');
    const scoreOk = v => Number(v.value) === 12.5 && !v.errors.length;
    const s = await itemValue(page, 'severity_score', scoreOk);
    if (!scoreOk(s)) fail(`severity_score: "12.5" gave ${JSON.stringify(s)}`);
    await type(page, 'note_botulinum_toxin', 'Switched product after the tenth round.');

    // The rest of the form (ids and codes as in the pack's contract).
    const filled = {
      posture: ['torticollis', 'retrocollis'],
      posture_pattern: ['torticaput', 'laterocollis'],
      posture_features: ['pain'],
      age_group: 'adult',
      duration: 'over_5_years',
      treatments_tried: ['botulinum_toxin', 'spasm_drugs'],
      outcome_spasm_drugs: 'stopped_side_effects',
      spasm_drugs_taken: ['baclofen', 'benzodiazepine'],
      spasm_drugs_stop_baclofen: ['stopped_side_effects'],
      spasm_drugs_stop_benzodiazepine: ['not_helped', 'stopped_side_effects'],
      outcome_botulinum_toxin: 'partly_helped',
      botulinum_toxin_products: ['onabotulinumtoxina', 'abobotulinumtoxina'],
      botulinum_toxin_cycles: 14,
      botulinum_toxin_response: 'stopped_helping',
      botulinum_toxin_guidance: ['emg'],
      botulinum_toxin_resistance: 'not_tested',
      botulinum_toxin_side_effects: ['neck_weakness'],
      botulinum_toxin_last_given: '2025-05-14',
      note_botulinum_toxin: 'Switched product after the tenth round.',
      severity_scale: 'tsui',
      severity_score: 12.5,
    };
    const typed = ['treatments_tried', 'botulinum_toxin_cycles', 'botulinum_toxin_last_given',
      'severity_scale', 'severity_score', 'note_botulinum_toxin'];
    const dummy = {};
    for (const [id, v] of Object.entries(filled))
      if (!typed.includes(id)) await set(page, dummy, id, v);
    const diffFill = await check(page, filled);
    for (const x of diffFill) fail('filled form: ' + x);
    await page.screenshot({ path: path.join(out, 'lforms.png'), fullPage: true });

    const qr = await page.evaluate(() =>
      LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', '#f'));
    const qrFile = path.join(out, 'response.json');
    fs.writeFileSync(qrFile, JSON.stringify(qr, null, 2) + '\n');
    let report = null;
    try {
      report = JSON.parse(execFileSync(bin, ['run', '--answers', qrFile, '--format', 'json'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (e) {
      fail(`cdguide run --answers ${qrFile}: ${(e.stderr || e.message).trim()}`);
    }
    if (report) {
      const got = Object.fromEntries(report.answers.map(a => [a.id, a.value]));
      const norm = o => JSON.stringify(Object.keys(o).sort().map(k =>
        [k, Array.isArray(o[k]) ? [...o[k]].sort() : o[k]]));
      if (norm(got) !== norm(filled))
        fail(`the QuestionnaireResponse reads back as\n  ${norm(got)}\nnot\n  ${norm(filled)}`);
    }

    // The checks of (2) must catch a wrong, a dropped and a weakened
    // enableWhen: each corrupted copy must give a difference on its item.
    const mutants = [
      ['botulinum_toxin_cycles', 'enabled by the wrong answer', it => {
        it.enableWhen[0].answerCoding.code = 'physiotherapy';
      }],
      ['spasm_drugs_stop_levodopa', 'enableWhen dropped', it => { delete it.enableWhen; }],
      ['severity_score', 'enableBehavior "all", not "any"', it => { it.enableBehavior = 'all'; }],
    ];
    for (const [id, what, change] of mutants) {
      const m = JSON.parse(qtext);
      change(questions(m.item).find(i => i.linkId === id));
      await load(page, m);
      const caught = (await enableWhenSequence(page, d => d.startsWith(`${id}: `))).found
        .filter(x => x.includes(`: ${id}: `));
      if (!caught.length) fail(`a Questionnaire with ${id}'s ${what} passes the checks`);
      else console.log(`lforms: caught ${id}, ${what}: ${caught[0]}`);
    }
    console.log(`lforms: LHC-Forms ${version}: ${n} items, ${Object.keys(table).length} conditional,` +
      ` ${seq.steps} answer states checked; ${path.join(out, 'lforms.png')}`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().then(() => {
  if (fails) process.exit(1);
  console.log('lforms: the Questionnaire renders with every enableWhen');
}, e => {
  console.log('lforms: FAIL: ' + (e.stack || e));
  process.exit(1);
});

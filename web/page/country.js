// The country filter: people type a country's name ("Iraq", "Côte d'Ivoire",
// "Ivory Coast") or its ISO code, and the gazetteer (/api/places with
// level=country) says which country that is. The filter and the permalink
// keep the ISO code; the field shows the name.

import { ApiError, getJSON } from './api.js';

const CODE = /^[A-Za-z]{2}$/;
const SUGGEST_DELAY_MS = 200;

/** CountryError says why a typed country cannot be used, in words for the field's message. */
export class CountryError extends Error {}

/** CountryPicker wires the country field, its suggestions and its hint. */
export class CountryPicker {
  constructor(input, datalist, hint) {
    this.input = input;
    this.datalist = datalist;
    this.hint = hint;
    this.names = new Map(); // ISO code -> country name, as learnt from the gazetteer
    let timer;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.suggest(input.value.trim()), SUGGEST_DELAY_MS);
    });
  }

  /** show puts the country with ISO code in the field, by name once the gazetteer has told it. */
  show(code) {
    this.code = code;
    this.input.setCustomValidity('');
    if (!code) {
      this.input.value = '';
      this.hint.textContent = '';
      return;
    }
    const name = this.names.get(code);
    this.input.value = name || code;
    this.hint.textContent = name ? `ISO code ${code}` : '';
    if (!name) {
      this.lookupCode(code).then((n) => { if (this.code === code && n) this.show(code); }).catch(() => {});
    }
  }

  /**
   * resolve returns the ISO code of what the field holds ('' for nothing),
   * or throws a CountryError saying why it names no country.
   */
  async resolve() {
    const text = this.input.value.trim();
    if (text === '') return '';
    if (CODE.test(text)) {
      const code = text.toUpperCase();
      try {
        if (!(await this.lookupCode(code))) throw new CountryError(`No country has the ISO code ${code}.`);
      } catch (err) {
        if (err instanceof CountryError) throw err;
        // Without a gazetteer, a two-letter code is taken as typed.
      }
      return code;
    }
    let fc;
    try {
      fc = await getJSON(`/api/places?${new URLSearchParams({ q: text, level: 'country', limit: '6' })}`);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 503 || err.status === 404)) {
        throw new CountryError('This server has no gazetteer to look country names up: type a two-letter ISO code such as IQ.');
      }
      throw err;
    }
    const hit = countries(fc)[0];
    if (!hit) throw new CountryError(`No country is called “${text}”. Try its English name or its two-letter ISO code.`);
    this.names.set(hit.code, hit.name);
    return hit.code;
  }

  // lookupCode learns the name of an ISO code; '' when the gazetteer has no such country.
  async lookupCode(code) {
    if (this.names.has(code)) return this.names.get(code);
    try {
      const f = await getJSON(`/api/places/${encodeURIComponent(`iso:${code}`)}`);
      const name = (f.properties && f.properties.name) || '';
      if (name) this.names.set(code, name);
      return name;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && !err.param) return '';
      throw err;
    }
  }

  // suggest offers the countries whose names match what is typed so far.
  async suggest(text) {
    if (text.length < 3 || CODE.test(text)) return;
    try {
      const fc = await getJSON(`/api/places?${new URLSearchParams({ q: text, level: 'country', limit: '6' })}`);
      this.datalist.replaceChildren(...countries(fc).map((c) => {
        const o = document.createElement('option');
        o.value = c.name;
        o.label = c.code;
        return o;
      }));
    } catch {
      // Suggestions are a help only; resolve reports real failures.
    }
  }
}

// countries lists the country features of a places response.
function countries(fc) {
  const out = [];
  for (const f of (fc && Array.isArray(fc.features) ? fc.features : [])) {
    const p = f.properties || {};
    if (p.level === 'country' && p.country) out.push({ code: p.country, name: p.name || p.country });
  }
  return out;
}

// newsdigest search: exact substring search over the static index written beside this file
// (newsdigest/search.py documents the format). No framework, no request to any other host: every
// file is fetched relative to this module's own URL, so the site works under any sub-path.
//
//   import { search } from "./search.js";
//   const matches = await search("独角兽 宁波", { topics: ["keji-chuangxin"], offset: 0, limit: 10 });
//
// search(query, options) resolves to the matches in rank order (title hits first, then newest),
// each {id, url, path, title, titleHighlights, date, page, topics, regions, excerpt, highlights}, where
// highlights are [start, end) offsets into excerpt (or title). Options: topics and regions (slugs;
// any of the topics, and any of the regions, a region holding its sub-regions), offset and limit
// (a page of the matches; without them, every match), brief (only each match's id, its rank).
// The array also says `total` (the number of all matches, or null when a page was asked for and
// counting them all would fetch more than that page needs), `more` (whether matches follow this
// page) and `terms` (the query's terms as matched). A term of punctuation alone is checked in the
// text, but a query of nothing else finds nothing.
//
// Matching: a query is split at white space into terms, and every term must occur in the
// article's title or text (AND). Text and terms are compared after replacing each code point with
// its NFKC form, lower-cased; a term that starts (ends) with a Latin letter or digit only matches
// where the text has no Latin letter or digit right before (after) it: Latin words and numbers
// match as whole words, CJK anywhere.

const BASE = new URL("./", import.meta.url);
const ROOT = new URL("../", import.meta.url);
const UTF8 = new TextDecoder("utf-8");
let GB = null; // TextDecoder("gb18030"), made when first needed

const CJK_BMP = [[0x1100, 0x11FF], [0x2E80, 0x2FDF], [0x3005, 0x3007], [0x3021, 0x3029], [0x3031, 0x3035],
  [0x3038, 0x303C], [0x3040, 0x30FF], [0x3100, 0x312F], [0x3130, 0x318F], [0x31A0, 0x31BF],
  [0x31F0, 0x31FF], [0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xA000, 0xA4CF], [0xA960, 0xA97F],
  [0xAC00, 0xD7FF], [0xF900, 0xFAFF]];
const CJK_ASTRAL = [[0x1B000, 0x1B16F], [0x20000, 0x323AF]];
const ALNUM = /^[\p{L}\p{N}]$/u;
const SEP = 0, CJK = 1, LATIN = 2;
const EXCERPT_BEFORE = 24; // characters of context before the first match
const EXCERPT_LENGTH = 110; // characters shown in all

// ------------------------------------------------------------------ loading

const loaded = new Map(); // path -> Promise<Uint8Array>
let metaPromise = null;

async function inflate(response) {
  const stream = response.body.pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function load(path, version) {
  let promise = loaded.get(path);
  if (!promise) {
    const url = new URL(path, BASE);
    if (version) url.search = "v=" + version;
    promise = fetch(url, version ? {} : { cache: "no-cache" }).then((response) => {
      if (!response.ok) throw new Error(`search index: ${url.pathname}: HTTP ${response.status}`);
      return inflate(response);
    });
    promise.catch(() => loaded.delete(path));
    loaded.set(path, promise);
  }
  return promise;
}

function meta() {
  if (!metaPromise) {
    metaPromise = load("meta.bin").then((bytes) => {
      const m = JSON.parse(UTF8.decode(bytes));
      const starts = (deltas) => { let code = 0; return deltas.map((delta) => (code += delta)); };
      // two segments of shards: the docs before m.bound (k/, w/), and the newest docs (nk/, nw/)
      m.segments = [
        { k: "k", w: "w", bounds: starts(m.keys), words: m.words, files: m.word_files },
        { k: "nk", w: "nw", bounds: starts(m.new_keys), words: m.new_words, files: m.new_word_files },
      ];
      m.shards = new Map();
      return m;
    });
    metaPromise.catch(() => { metaPromise = null; });
  }
  return metaPromise;
}

const file = (m, path) => load(path, m.id);

// ------------------------------------------------------------------ normalisation

const folded = new Map();

function foldChar(ch) {
  const cp = ch.codePointAt(0);
  if (cp < 0x80) return cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : ch;
  let f = folded.get(ch);
  if (f === undefined) folded.set(ch, (f = ch.normalize("NFKC").toLowerCase()));
  return f;
}

/** text -> [folded text, map]: map[i] is where folded unit i came from in text (map[len] = text.length). */
export function fold(text) {
  let out = "";
  const map = [];
  let at = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) map.push(at);
    out += f;
    at += ch.length;
  }
  map.push(at);
  return [out, map];
}

function inRanges(cp, ranges) {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

function classOf(cp) {
  if (cp >= 0x10000) {
    if (inRanges(cp, CJK_ASTRAL)) return CJK;
    return ALNUM.test(String.fromCodePoint(cp)) ? LATIN : SEP;
  }
  if (cp < 0x80) {
    return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) ? LATIN : SEP;
  }
  if (!ALNUM.test(String.fromCharCode(cp))) return SEP;
  return inRanges(cp, CJK_BMP) ? CJK : LATIN;
}

function codePointBefore(text, at) {
  if (at <= 0) return -1;
  const low = text.charCodeAt(at - 1);
  if (low >= 0xDC00 && low <= 0xDFFF && at >= 2) {
    const high = text.charCodeAt(at - 2);
    if (high >= 0xD800 && high <= 0xDBFF) return text.codePointAt(at - 2);
  }
  return low;
}

// ------------------------------------------------------------------ queries

/** The query's terms: each {text, keys, exact, startsLatin, endsLatin}. */
export function parse(query) {
  const terms = [];
  const seen = new Set();
  for (const raw of String(query || "").normalize("NFC").split(/\s+/u)) {
    if (!raw) continue;
    for (const text of fold(raw)[0].split(/\s+/u)) {
      if (text && !seen.has(text)) {
        seen.add(text);
        terms.push(analyse(text));
      }
    }
  }
  return terms;
}

function analyse(text) {
  const segments = [];
  for (const ch of text) {
    const cls = classOf(ch.codePointAt(0));
    const last = segments[segments.length - 1];
    if (last && last.cls === cls) last.text += ch;
    else segments.push({ cls, text: ch });
  }
  const keys = [];
  segments.forEach((segment, n) => {
    if (segment.cls === LATIN) keys.push({ word: segment.text });
    if (segment.cls !== CJK) return;
    const units = segment.text;
    const startsRun = n > 0; // after a separator or a Latin character of the term: a CJK run begins here
    if (units.length === 1 && !startsRun) keys.push({ u1: units.charCodeAt(0) }); // any (x, c)
    if (startsRun) keys.push({ code: units.charCodeAt(0) * 65536 });
    for (let i = 0; i + 1 < units.length; i++) keys.push({ code: units.charCodeAt(i) + units.charCodeAt(i + 1) * 65536 });
  });
  const only = segments.length === 1 ? segments[0] : null;
  return {
    text,
    keys,
    exact: !!only && (only.cls === LATIN || (only.cls === CJK && only.text.length <= 2)),
    startsLatin: segments[0].cls === LATIN,
    endsLatin: segments[segments.length - 1].cls === LATIN,
  };
}

/** The first place at or after `from` where term occurs in folded text (whole Latin words), or -1. */
export function find(text, term, from = 0) {
  for (let at = text.indexOf(term.text, from); at >= 0; at = text.indexOf(term.text, at + 1)) {
    if (term.startsLatin && classOf(codePointBefore(text, at)) === LATIN) continue;
    const end = at + term.text.length;
    if (term.endsLatin && end < text.length && classOf(text.codePointAt(end)) === LATIN) continue;
    return at;
  }
  return -1;
}

// ------------------------------------------------------------------ the index files

function reader(bytes) {
  let pos = 0;
  const varint = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = bytes[pos++];
      result += (byte & 0x7F) * 2 ** shift;
      shift += 7;
    } while (byte >= 0x80);
    return result;
  };
  const split = (n, width) => {
    const values = new Float64Array(n);
    for (let b = 0; b < width; b++) {
      const scale = 2 ** (8 * b);
      for (let i = 0; i < n; i++) values[i] += bytes[pos + i] * scale;
      pos += n;
    }
    return values;
  };
  const lists = (n, width) => {
    const counts = split(n, width), firsts = split(n, width);
    let total = 0;
    const starts = new Float64Array(n);
    for (let i = 0; i < n; i++) { starts[i] = total; total += counts[i] - 1; }
    const gaps = split(total, width);
    return (i) => {
      const out = new Array(counts[i]);
      let id = (out[0] = firsts[i]);
      for (let k = 1; k < counts[i]; k++) out[k] = id += gaps[starts[i] + k - 1];
      return out;
    };
  };
  const section = (width) => {
    const n = varint();
    if (!n) return { codes: [], list: null };
    const groups = varint();
    const u1s = [];
    for (let g = 0, u1 = 0; g < groups; g++) {
      u1 += varint();
      for (let k = varint(); k > 0; k--) u1s.push(u1);
    }
    const deltas = split(n, 2);
    const codes = new Array(n);
    for (let i = 0, low = 0; i < n; i++) {
      low = (low + deltas[i]) & 0xFFFF;
      codes[i] = low + u1s[i] * 65536;
    }
    return { codes, list: lists(n, width) };
  };
  const words = (width) => {
    const n = varint();
    const out = [];
    let previous = new Uint8Array(0);
    for (let i = 0; i < n; i++) {
      const common = varint(), size = varint();
      const word = new Uint8Array(common + size);
      word.set(previous.subarray(0, common));
      word.set(bytes.subarray(pos, pos + size), common);
      pos += size;
      out.push(UTF8.decode(word));
      previous = word;
    }
    return { codes: out, list: n ? lists(n, width) : null };
  };
  return { section, words, lists };
}

/** Where `value` goes in an array sorted from the highest. */
function fallingBound(sorted, value) {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > value) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function lowerBound(sorted, value) {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function shard(m, segment, kind, n) {
  const folder = segment[kind];
  if (!m.shards.has(folder + n)) {
    const name = kind === "k" ? segment.bounds[n].toString(36) : segment.files[n]; // named by its first key
    m.shards.set(folder + n, file(m, `${folder}/${name}.bin`).then((bytes) => {
      const read = reader(bytes);
      return kind === "k" ? [read.section(m.width), read.section(m.width)] : [read.words(m.width), read.words(m.width)];
    }));
  }
  return m.shards.get(folder + n);
}

/** [docs, title docs] of one key: sorted arrays of doc ids, from both segments (the newest docs' ids come last). */
async function lookup(m, key) {
  const [before, newest] = await Promise.all(m.segments.map((segment) => lookupIn(m, segment, key)));
  return [before[0].concat(newest[0]), before[1].concat(newest[1])];
}

async function lookupIn(m, segment, key) {
  const { bounds, words } = segment;
  if ("word" in key ? !words.length : !bounds.length) return [[], []];
  if ("word" in key) {
    const n = Math.max(0, lowerBound(words, key.word + "\u0000") - 1);
    return (await shard(m, segment, "w", n)).map((part) => {
      const i = lowerBound(part.codes, key.word);
      return part.codes[i] === key.word ? part.list(i) : [];
    });
  }
  const lo = "code" in key ? key.code : key.u1 * 65536;
  const hi = "code" in key ? key.code : lo + 0xFFFF;
  const first = Math.max(0, lowerBound(bounds, lo + 1) - 1), last = Math.max(0, lowerBound(bounds, hi + 1) - 1);
  const found = [[], []];
  for (let n = first; n <= last; n++) {
    (await shard(m, segment, "k", n)).forEach((part, which) => {
      for (let i = lowerBound(part.codes, lo); i < part.codes.length && part.codes[i] <= hi; i++) found[which].push(part.list(i));
    });
  }
  return found.map((lists) => union(lists, m.count));
}

function union(lists, count) {
  if (lists.length === 1) return lists[0];
  if (!lists.length) return [];
  const seen = new Uint8Array(count);
  for (const ids of lists) for (const id of ids) seen[id] = 1;
  const out = [];
  for (let id = 0; id < count; id++) if (seen[id]) out.push(id);
  return out;
}

function intersect(a, b) {
  const out = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else { out.push(a[i]); i++; j++; }
  }
  return out;
}

async function filterDocs(m, kind, slugs) {
  const names = kind === "t" ? m.topics : m.regions;
  const lists = [];
  for (const slug of slugs) {
    const n = names.findIndex((term) => term[0] === slug);
    if (n < 0 || !names[n][names[n].length - 1]) { lists.push([]); continue; } // unknown, or no article
    const bytes = await file(m, `f/${kind}${n}.bin`);
    lists.push(reader(bytes).lists(1, m.width)(0));
  }
  return union(lists, m.count);
}

// ------------------------------------------------------------------ stored text and metadata

const texts = new Map(); // doc id -> {text, folded, map}

async function textOf(m, id) {
  if (!texts.has(id)) {
    const chunk = Math.floor(id / m.text_chunk);
    const bytes = await file(m, `t/${chunk}.bin`);
    const decoder = bytes[0] === 1 ? (GB ||= new TextDecoder("gb18030")) : UTF8;
    decoder.decode(bytes.subarray(1)).split("\u001e").forEach((text, k) => {
      const [f, map] = fold(text);
      texts.set(chunk * m.text_chunk + k, { text, folded: f, map, titleEnd: (f + "\n").indexOf("\n") });
    });
    if (texts.size > 4000) for (const key of [...texts.keys()].slice(0, 2000)) texts.delete(key);
  }
  return texts.get(id);
}

async function metaOf(m, id) {
  const rows = await file(m, `m/${Math.floor(id / m.meta_chunk)}.bin`).then((bytes) => JSON.parse(UTF8.decode(bytes)));
  return rows[id % m.meta_chunk];
}

/** Checks every term against the stored text: [matches, number of terms in the title]. */
function verify(doc, terms) {
  let score = 0;
  for (const term of terms) {
    const at = find(doc.folded, term);
    if (at < 0) return [false, 0];
    if (at < doc.titleEnd) score++; // the first occurrence is in the title, which comes first
  }
  return [true, score];
}

function marks(folded, map, terms, from, to, shift) {
  const found = [];
  for (const term of terms) {
    for (let at = find(folded, term, from); at >= 0 && at < to; at = find(folded, term, at + 1)) {
      const end = Math.min(at + term.text.length, to);
      found.push([map[Math.max(at, from)] - shift, map[end] - shift]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const [s, e] of found) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

function excerptOf(doc, terms) {
  const { text, folded, map, titleEnd } = doc;
  const bodyStart = Math.min(titleEnd + 1, folded.length);
  let first = -1;
  for (const term of terms) {
    const at = find(folded, term, bodyStart);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  let start = map[bodyStart];
  if (first >= 0) start = Math.max(start, map[first] - EXCERPT_BEFORE);
  if (start > 0 && text.charCodeAt(start) >= 0xDC00 && text.charCodeAt(start) <= 0xDFFF) start++;
  let end = Math.min(text.length, start + EXCERPT_LENGTH);
  if (end < text.length && text.charCodeAt(end) >= 0xDC00 && text.charCodeAt(end) <= 0xDFFF) end++;
  const fromF = lowerBound(map, start), toF = lowerBound(map, end);
  const lead = start > map[bodyStart] ? "…" : "", tail = end < text.length ? "…" : "";
  const excerpt = lead + text.slice(start, end).replace(/\n/g, " ") + tail;
  const highlights = marks(folded, map, terms, fromF, toF, start - lead.length);
  return { excerpt, highlights, titleHighlights: marks(folded, map, terms, 0, titleEnd, 0) };
}

// ------------------------------------------------------------------ search

/** The topics and regions articles can be filtered by: {topics: [{slug, name, count}], regions: [...]} */
export async function filters() {
  const m = await meta();
  return {
    topics: m.topics.map(([slug, name, count]) => ({ slug, name, count })),
    regions: m.regions.map(([slug, name, parent, count]) => ({ slug, name, count, parent: parent >= 0 ? m.regions[parent][0] : "" })),
  };
}

export async function search(query, options = {}) {
  const m = await meta();
  const terms = parse(query);
  const offset = Math.max(0, options.offset || 0);
  const limit = options.limit === undefined ? Infinity : Math.max(0, options.limit);
  const result = [];
  result.terms = terms.map((t) => t.text);
  result.total = 0;
  result.more = false;
  const indexed = terms.filter((t) => t.keys.length);
  if (!indexed.length) return result;

  // candidates: the docs holding every key of every term, within the filters
  const sets = await Promise.all(indexed.map(async (term) => {
    const found = await Promise.all(term.keys.map((key) => lookup(m, key)));
    return [found.map((f) => f[0]).reduce(intersect), found.map((f) => f[1]).reduce(intersect)];
  }));
  let candidates = sets.map((s) => s[0]).reduce(intersect);
  for (const [kind, slugs] of [["t", options.topics], ["r", options.regions]]) {
    const wanted = [].concat(slugs || []).filter(Boolean);
    if (wanted.length) candidates = intersect(candidates, await filterDocs(m, kind, wanted));
  }
  const exact = terms.every((t) => t.exact);
  const bound = new Map(); // doc -> how many terms its title may hold (exactly, for exact terms)
  for (const [, titleDocs] of sets) for (const id of intersect(candidates, titleDocs)) bound.set(id, (bound.get(id) || 0) + 1);

  // rank: more terms in the title first, then newest. Ids count from the oldest doc: tiers by the
  // title bound, each in falling id order; a doc whose text does not bear its bound out moves down
  // to its true tier (or out), so matches come out in rank order while only as many are checked
  // against their text as the page needs.
  const unindexed = terms.length - indexed.length; // punctuation alone: may be in any title
  const tiers = [];
  for (let i = candidates.length - 1; i >= 0; i--) (tiers[(bound.get(candidates[i]) || 0) + unindexed] ||= []).push(candidates[i]);
  const wanted = limit === Infinity ? Infinity : offset + limit + 1;
  const matches = [];
  let done = true;
  for (let tier = tiers.length - 1; tier >= 0; tier--) {
    const ids = tiers[tier] || [];
    for (let next = 0; next < ids.length;) {
      if (matches.length >= wanted) { done = false; break; }
      if (exact) { matches.push(ids[next++]); continue; }
      const batch = ids.slice(next, next + Math.min(256, wanted - matches.length)); // no more than needed
      next += batch.length;
      const checked = await Promise.all(batch.map(async (id) => verify(await textOf(m, id), terms)));
      batch.forEach((id, k) => {
        const [ok, score] = checked[k];
        if (!ok) return;
        if (score === tier) matches.push(id);
        else { const lower = (tiers[score] ||= []); lower.splice(fallingBound(lower, id), 0, id); }
      });
    }
    if (!done) break;
  }
  result.total = exact ? candidates.length : done ? matches.length : null;
  const page = matches.slice(offset, limit === Infinity ? undefined : offset + limit);
  result.more = exact ? candidates.length > offset + page.length : matches.length > offset + page.length || !done;

  if (options.brief) { // ids only (rank order): no metadata, no excerpt, nothing more fetched
    for (const id of page) result.push({ id });
    return result;
  }
  const rows = await Promise.all(page.map(async (id) => [await metaOf(m, id), await textOf(m, id)]));
  page.forEach((id, k) => {
    const [[path, date, topics, regions, page = ""], doc] = rows[k];
    const title = doc.text.slice(0, doc.map[doc.titleEnd]);
    result.push({
      id,
      path,
      url: new URL(path, ROOT).href,
      title,
      date,
      page,
      topics: topics.map((n) => ({ slug: m.topics[n][0], name: m.topics[n][1] })),
      regions: regions.map((n) => ({ slug: m.regions[n][0], name: m.regions[n][1] })),
      ...excerptOf(doc, terms),
    });
  });
  return result;
}

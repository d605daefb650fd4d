// The search page: reads ?q= (and topic, region, page) from its URL, shows the matches with
// highlighted excerpts, 10 to a page. The form itself is plain HTML (GET), so the URL always
// carries the query and every result page can be linked.
import { search } from "./search.js";

const PAGE_SIZE = 10;
const root = document.getElementById("search-results");
const status = document.getElementById("search-status");
const words = root.dataset;
const params = new URLSearchParams(location.search);
const query = (params.get("q") || "").trim();
const topic = params.get("topic") || "";
const region = params.get("region") || "";
const number = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);

const element = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};

/** text with <mark> around [start, end) ranges; built as DOM nodes, never as HTML. */
function marked(text, ranges) {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) out.append(text.slice(at, start));
    out.append(element("mark", { textContent: text.slice(start, end) }));
    at = end;
  }
  out.append(text.slice(at));
  return out;
}

function link(page) {
  const next = new URLSearchParams(params);
  if (page > 1) next.set("page", String(page)); else next.delete("page");
  return "?" + next.toString();
}

function chineseDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return fill(words.date, { year, month, day });
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

async function run() {
  const form = document.querySelector("form.search-page");
  form.elements.q.value = query;
  if (topic) form.elements.topic.value = topic;
  if (region) form.elements.region.value = region;
  if (!query) {
    status.textContent = "";
    return;
  }
  document.title = `${query} - ${document.title}`;
  status.textContent = words.loading;
  root.setAttribute("aria-busy", "true");
  let matches;
  try {
    matches = await search(query, {
      topics: topic ? [topic] : [], regions: region ? [region] : [],
      offset: (number - 1) * PAGE_SIZE, limit: PAGE_SIZE,
    });
  } catch (error) {
    root.removeAttribute("aria-busy");
    status.textContent = words.error;
    console.warn(error);
    return;
  }
  root.removeAttribute("aria-busy");
  if (!matches.length) {
    status.textContent = fill(number > 1 ? words.nopage : words.none, { query });
    return;
  }
  const pages = matches.total === null ? null : Math.max(1, Math.ceil(matches.total / PAGE_SIZE));
  const count = matches.total === null ? fill(words.many, { count: (number - 1) * PAGE_SIZE + matches.length })
    : fill(words.count, { count: matches.total });
  status.textContent = count + (number > 1 || matches.more ? " · " + fill(pages ? words.pageof : words.page, { number, count: pages }) : "");

  const list = element("ol", { className: "results", start: (number - 1) * PAGE_SIZE + 1 });
  for (const match of matches) {
    const meta = element("p", { className: "meta" },
      element("time", { dateTime: match.date, textContent: chineseDate(match.date) }),
      match.page ? " · " + (match.page.includes("版") ? match.page : fill(words.pagelabel, { page: match.page })) : "",
      ...match.topics.concat(match.regions).map((term) => " · " + term.name));
    list.append(element("li", { className: "result" },
      element("h2", { className: "card-title" }, element("a", { href: match.url }, marked(match.title, match.titleHighlights))),
      meta,
      element("p", { className: "excerpt" }, marked(match.excerpt, match.highlights))));
  }
  root.replaceChildren(list);
  if (number > 1 || matches.more) {
    const nav = element("nav", { className: "pager" });
    nav.setAttribute("aria-label", words.pager);
    if (number > 1) nav.append(element("a", { rel: "prev", href: link(number - 1), textContent: words.previous }));
    nav.append(element("span", { textContent: fill(pages ? words.pageof : words.page, { number, count: pages }) }));
    if (matches.more) nav.append(element("a", { rel: "next", href: link(number + 1), textContent: words.next }));
    root.append(nav);
  }
}

run();

// The participant's language. Every text is English in the source and marked for gettext, `_("…")` or
// `ngettext("…", "…", n)`, always with plain double-quoted strings so Babel's extractor finds them
// (babel.cfg); the page hands over their translations as JSON (#gv-messages). Placeholders are
// `%(name)s`, filled by `fill`.

const I18N = (() => {
  const node = document.getElementById("gv-messages");
  return node ? JSON.parse(node.textContent) : { language: "en", messages: {} };
})();
export const LANG = I18N.language || document.documentElement.lang || "en";
// The person's own regional variant when the browser has one (es-MX, en-GB), else the language.
const LOCALE = (navigator.languages || []).find((tag) => tag.toLowerCase().split("-")[0] === LANG) || LANG;
const TIME_FORMAT = new Intl.DateTimeFormat(LOCALE, { hour: "numeric", minute: "2-digit" });
const DAY_FORMAT = new Intl.DateTimeFormat(LOCALE, { weekday: "long", day: "numeric", month: "long" });
const NUMBER_FORMAT = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });

export function _(message) {
  const text = I18N.messages[message];
  return typeof text === "string" && text !== "" ? text : message;
}

// English and Spanish both have two forms: one, and everything else (gettext's `n != 1`).
export function ngettext(singular, plural, n) {
  const forms = I18N.messages[singular];
  const index = n === 1 ? 0 : 1;
  if (Array.isArray(forms) && forms[index]) return forms[index];
  return index === 0 ? singular : plural;
}

export function fill(text, values) {
  return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export function clockTime(seconds) {
  return TIME_FORMAT.format(new Date(seconds * 1000));
}

// "Tuesday, January 13" / "martes, 13 de enero": the day of an earlier session, as this person reads dates.
export function dayDate(seconds) {
  return DAY_FORMAT.format(new Date(seconds * 1000));
}

export function formatNumber(value) {
  return NUMBER_FORMAT.format(value);
}

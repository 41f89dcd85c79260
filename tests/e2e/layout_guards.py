"""The layout guards: what a phone user sees broken and axe does not.

`layout_problems(page)` returns, for the page as rendered: the page wider than the
screen (with the widest elements named), a radio or checkbox wider than 32 px, a
code, national code, phone number or e-mail (or any `.ltr` value) split over two
lines, a 16-digit code not shown in groups of four, and a word broken inside.
tests/e2e/test_accessibility.py runs them on every stop of the citizen tour.
"""

GUARDS = r"""
() => {
  const problems = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    const wide = [...document.body.querySelectorAll('*')].filter(el => {
      const r = el.getBoundingClientRect();
      return r.width && (r.right > width + 1 || r.left < -1);
    }).slice(-3).map(name);
    problems.push(`page ${document.documentElement.scrollWidth}px wide: ${wide.join(', ')}`);
  }
  for (const input of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    const r = input.getBoundingClientRect();
    if (r.width > 32) problems.push(`${input.type} ${input.name} is ${Math.round(r.width)}px wide`);
  }
  const lines = rects => {
    const tops = [...rects].filter(r => r.width > 0).map(r => r.top);
    return tops.length ? Math.max(...tops) - Math.min(...tops) > 4 : false;
  };
  for (const el of document.querySelectorAll('.ltr')) {
    if (lines(el.getClientRects())) problems.push(`"${el.textContent.trim()}" wraps`);
  }
  const value = /[0-9۰-۹]{10,}|[+0-9۰-۹][0-9۰-۹ -]{9,}[0-9۰-۹]|[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
  const skip = new Set(['SCRIPT', 'STYLE', 'TEXTAREA', 'OPTION', 'SELECT', 'NOSCRIPT', 'TITLE']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (skip.has(node.parentElement.tagName) || !node.parentElement.getClientRects().length) continue;
    const text = node.textContent;
    if (/[0-9۰-۹]{16}/.test(text)) problems.push(`a 16-digit code not in groups of four: "${text.trim()}"`);
    for (const match of text.matchAll(value)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (lines(range.getClientRects())) problems.push(`"${match[0]}" wraps`);
    }
    for (const match of text.matchAll(/[^\s\u200f\u200e]{2,}/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (lines(range.getClientRects())) problems.push(`the word "${match[0]}" is broken`);
    }
  }
  return [...new Set(problems)];
}
"""


def layout_problems(page):
    return page.evaluate(GUARDS)

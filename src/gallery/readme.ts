/**
 * A package README rendered from Markdown (marked, GitHub-flavoured) for the package page. Raw
 * HTML in the Markdown is shown as text, not rendered, as nuget.org does: the output holds only
 * the tags marked writes itself, none with an event handler or style. What is left to check is
 * URLs, written here: a link must be http(s), mailto or a fragment; an image must be https or one
 * of the package's own files on this feed (a README may not make a reader's browser fetch over
 * plain http, nor from `data:` or `javascript:`). A link that fails keeps its text; an image that
 * fails shows its alt text.
 */
import { Marked, type RendererObject, type Tokens } from 'marked';
import { escapeHtml, httpUrl } from './html';

export interface ReadmeSource {
  markdown: string;
  /** The URL prefix of the package's own files (its flat-container folder): images there are allowed. */
  ownFiles: string;
}

/**
 * The whole value is checked as the browser will read it: the attribute is written escaped, so
 * what passed here is exactly what the browser decodes (no entity can turn into `javascript:`).
 */
function allowedLink(href: string): string | null {
  return /^(https?:\/\/|mailto:|#)[^\s<>"'`\\\p{Cc}]*$/iu.test(href) ? href : null;
}

function allowedImage(src: string, ownFiles: string): string | null {
  if (src.startsWith(ownFiles) && !/[\s<>"'`\\]/.test(src)) return src;
  return httpUrl(src, { httpsOnly: true });
}

function renderer(ownFiles: string): RendererObject {
  return {
    html: (token: Tokens.HTML | Tokens.Tag) =>
      'block' in token && token.block ? `<p>${escapeHtml(token.text)}</p>` : escapeHtml(token.text),
    link(token: Tokens.Link) {
      const inner = this.parser.parseInline(token.tokens);
      const href = allowedLink(token.href);
      if (href === null) return inner;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      const rel = href.startsWith('#') ? '' : ' rel="nofollow noopener noreferrer"';
      return `<a href="${escapeHtml(href)}"${title}${rel}>${inner}</a>`;
    },
    image(token: Tokens.Image) {
      const alt = this.parser.parseInline(token.tokens, this.parser.textRenderer);
      const src = allowedImage(token.href, ownFiles);
      if (src === null) return `<span class="blocked-image">${escapeHtml(alt)}</span>`;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"${title} loading="lazy" referrerpolicy="no-referrer">`;
    },
    // A task list's boxes are text: a disabled form control without a label helps no one.
    checkbox: ({ checked }: Tokens.Checkbox) => (checked ? '☑ ' : '☐ '),
  };
}

/** Headings inside a README start at level 3: the page's own h1/h2 outline stays intact. */
function demoteHeadings(html: string): string {
  return html.replace(
    /<(\/?)h([1-6])>/g,
    (_, slash: string, level: string) => `<${slash}h${Math.min(6, Number(level) + 2)}>`,
  );
}

/** Built per call: a configured Marked is mutable, and no module keeps state. */
export function renderReadme(source: ReadmeSource): string {
  const marked = new Marked({ gfm: true, async: false }).use({ renderer: renderer(source.ownFiles) });
  return demoteHeadings(marked.parse(source.markdown, { async: false }));
}

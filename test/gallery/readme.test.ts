/** The README renderer (src/gallery/readme.ts): Markdown rendered, raw HTML shown as text, URLs checked. */
import { describe, expect, it } from 'vitest';
import { renderReadme } from '../../src/gallery/readme';
import { expectInert } from './inert';
import { README_PAYLOADS } from './xssPayloads';

const ownFiles = 'https://feed.test/v3/flat/contoso.widgets/';
const render = (markdown: string) => renderReadme({ markdown, ownFiles });

describe('README rendering', () => {
  it('renders GitHub-flavoured Markdown with headings below the page outline', () => {
    const html = render(
      [
        '# Widgets',
        'Some *emphasis*, **strong**, `code` and ~~gone~~.',
        '## Install',
        '- one\n- two',
        '1. first',
        '> quoted',
        '```csharp\nvar w = new Widget();\n```',
        '| a | b |\n| - | - |\n| 1 | 2 |',
        '- [x] done\n- [ ] open',
        '[docs](https://contoso.example/docs) and https://contoso.example/auto and [top](#widgets)',
        '![logo](https://contoso.example/logo.png "Logo") ![own](https://feed.test/v3/flat/contoso.widgets/1.0.0/icon)',
      ].join('\n\n'),
    );
    expect(html).toContain('<h3>Widgets</h3>');
    expect(html).toContain('<h4>Install</h4>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('<strong>strong</strong>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toContain('<code class="language-csharp">var w = new Widget();');
    expect(html).toContain('<table>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('☑ done');
    expect(html).toContain('☐ open');
    expect(html).toContain('<a href="https://contoso.example/docs" rel="nofollow noopener noreferrer">docs</a>');
    expect(html).toContain('<a href="https://contoso.example/auto" rel="nofollow noopener noreferrer">');
    expect(html).toContain('<a href="#widgets">top</a>');
    expect(html).toContain('<img src="https://contoso.example/logo.png" alt="logo" title="Logo"');
    expect(html).toContain('<img src="https://feed.test/v3/flat/contoso.widgets/1.0.0/icon" alt="own"');
    expectInert(html, { readme: true });
  });

  it('shows raw HTML as text instead of rendering it', () => {
    const html = render('Hello <b onclick="x()">bold</b>\n\n<div>block</div>');
    expect(html).toContain('&#60;b onclick=&#34;x()&#34;&#62;bold&#60;/b&#62;');
    expect(html).toContain('&#60;div&#62;block&#60;/div&#62;');
    expect(html).not.toContain('<b');
  });

  it('keeps the text of a link it refuses and the alt text of an image it refuses', () => {
    expect(render('[click me](javascript:alert(1))')).toContain('<p>click me</p>');
    expect(render('![a pixel](http://tracker.example/p.png)')).toContain('<span class="blocked-image">a pixel</span>');
    expect(render('![own elsewhere](https://feed.test/v3/flat/other.package/1.0.0/icon)')).toContain('<img');
    expect(render('![relative](docs/shot.png)')).toContain('<span class="blocked-image">relative</span>');
  });

  it('has a checker that catches what it looks for', () => {
    for (const bad of [
      '<script>x</script>',
      '<img src="x" onerror="y">',
      '<a href="javascript:x">a</a>',
      '<a href="&#106;avascript:x">a</a>',
      '<img src="data:image/png;base64,AA">',
      '<img src="http://tracker.example/p.png">',
      '<p style="color:red">x</p>',
      '<p>1 < 2</p>',
      '<iframe src="https://x.example"></iframe>',
    ]) {
      expect(() => expectInert(bad, { readme: true }), bad).toThrow();
    }
  });

  it.each(README_PAYLOADS)('renders the payload %j inert', (payload) => {
    const html = render(`Before\n\n${payload}\n\nAfter`);
    expectInert(html, { readme: true });
    expect(html).not.toMatch(/(href|src)="\s*(javascript|vbscript|data):/i);
    expect(html).toContain('After');
  });
});

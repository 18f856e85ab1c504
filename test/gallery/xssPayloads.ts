/**
 * Hostile strings for the gallery's sanitizer tests (worker and browser): README Markdown that
 * tries to run script, load from forbidden schemes or smuggle attributes, and metadata strings
 * (titles, descriptions, tags, URLs, dependency ids) that try to break out of their markup.
 * Every payload that would run sets `window.__xss` or opens a dialog, which the browser test watches.
 */

export const README_PAYLOADS: readonly string[] = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1"></svg>',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '<style>body{display:none}</style>',
  '<div style="background:url(javascript:window.__xss=1)">styled</div>',
  '<details open ontoggle="window.__xss=1"><summary>x</summary></details>',
  '<form action="javascript:window.__xss=1"><button>go</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
  '<<script>script>window.__xss=1<</script>/script>',
  '<a href="javascript:window.__xss=1">raw anchor</a>',
  '[plain](javascript:window.__xss=1)',
  '[cased](JaVaScRiPt:window.__xss=1)',
  '[entity](&#106;avascript:window.__xss=1)',
  '[tabbed](java&#x09;script:window.__xss=1)',
  '[spaced]( javascript:window.__xss=1)',
  '[angle](<javascript:window.__xss=1>)',
  '[vb](vbscript:msgbox(1))',
  '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)',
  '[quote](https://ok.example/"onmouseover="window.__xss=1)',
  '[titled](https://ok.example/ "t\\" onmouseover=\\"window.__xss=1")',
  '<javascript:window.__xss=1>',
  '[ref]\n\n[ref]: javascript:window.__xss=1',
  '![js](javascript:window.__xss=1)',
  '![data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3hzcz0xIj48L3N2Zz4=)',
  '![plain http](http://tracker.example/pixel.png)',
  '![alt" onerror="window.__xss=1](https://ok.example/a.png)',
  '![titled](https://ok.example/a.png "t\\" onerror=\\"window.__xss=1")',
  '`<script>window.__xss=1</script>`',
  '```\n<script>window.__xss=1</script>\n```',
  '```"><img src=x onerror="window.__xss=1">\ncode\n```',
  '&lt;script&gt;window.__xss=1&lt;/script&gt;',
  '| a | b |\n| - | - |\n| <img src=x onerror="window.__xss=1"> | [x](javascript:window.__xss=1) |',
  '- [ ] <script>window.__xss=1</script>',
];

/** Strings placed in every metadata field a page shows. */
export const METADATA_PAYLOADS: readonly string[] = [
  '"><script>window.__xss=1</script>',
  "'><img src=x onerror=window.__xss=1>",
  '</title><script>window.__xss=1</script>',
  '<svg/onload=window.__xss=1>',
  '&lt;b&gt;&#60;i&#62;',
];

/** URLs for projectUrl, licenseUrl and iconUrl: none may become a link or image but an http(s) one. */
export const URL_PAYLOADS: readonly string[] = [
  'javascript:window.__xss=1',
  ' JAVASCRIPT:window.__xss=1',
  'data:text/html,<script>window.__xss=1</script>',
  'vbscript:msgbox(1)',
  'https://ok.example/"><script>window.__xss=1</script>',
];

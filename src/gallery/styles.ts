/**
 * The gallery's one style sheet, served by the feed itself (no CDN, no web fonts): system fonts,
 * a light and a dark palette by prefers-color-scheme, and a layout that folds to one column on a
 * phone. Colours keep WCAG AA contrast in both palettes.
 */
export const GALLERY_CSS = `:root{--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d8dee4;--panel:#f6f8fa;--accent:#0b5cad;--accent-fg:#fff;
--warn-bg:#fff4d6;--warn-fg:#6a4a00;--danger-bg:#ffebe9;--danger-fg:#82071e;--pre-bg:#f1f3f5;--radius:8px;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--fg:#e6edf3;--muted:#9aa7b3;--line:#30363d;--panel:#161b22;
--accent:#6cb6ff;--accent-fg:#0f1419;--warn-bg:#3a2d05;--warn-fg:#f2d98a;--danger-bg:#3d1114;--danger-fg:#ffb8b0;--pre-bg:#1c2128}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif}
a{color:var(--accent)}a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
code,pre{font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--pre-bg);padding:.75rem 1rem;border-radius:var(--radius);overflow-x:auto;margin:0}
:not(pre)>code{background:var(--pre-bg);padding:.1em .35em;border-radius:4px}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px;top:0;background:var(--accent);color:var(--accent-fg);padding:.5rem 1rem;z-index:2}
.skip:focus{left:0}
.top{display:flex;gap:1rem;align-items:center;justify-content:space-between;flex-wrap:wrap;padding:.75rem max(1rem,calc((100% - 72rem)/2));border-bottom:1px solid var(--line);background:var(--panel)}
.brand{display:flex;gap:.5rem;align-items:center;font-weight:700;font-size:1.15rem;color:var(--fg);text-decoration:none}
main{max-width:72rem;margin:0 auto;padding:1.25rem 1rem 3rem}
.bottom{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem;text-align:center;padding:1rem}
.search,.filters{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
.top .search{flex:1 1 18rem;max-width:32rem}
input[type=search],select{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:var(--radius);padding:.45rem .7rem;min-width:0}
input[type=search]{flex:1 1 12rem}
button{font:inherit;cursor:pointer;border-radius:var(--radius);border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);padding:.45rem .9rem}
.hero{padding:1.5rem 0 1rem}.hero h1{font-size:2.2rem;margin:.2rem 0}.hero .search{max-width:40rem}
.lead{color:var(--muted);font-size:1.1rem}
.totals{display:flex;gap:1.5rem;flex-wrap:wrap;list-style:none;padding:0;margin:1rem 0 0;color:var(--muted)}
.totals strong{color:var(--fg);font-size:1.3rem}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:0 2rem}
.package-list{list-style:none;padding:0;margin:0}
.package-row{display:flex;gap:1rem;padding:1rem 0;border-bottom:1px solid var(--line)}
.package-row h3{margin:0;font-size:1.1rem;overflow-wrap:anywhere}
.row-body{min-width:0}.row-body p{margin:.25rem 0}
.icon{flex:none;border-radius:6px;background:var(--panel);object-fit:contain}
.version{color:var(--muted);font-weight:400;font-size:.9em}
.description{overflow-wrap:anywhere}
.meta,.note,.id-line,.authors{color:var(--muted);font-size:.92rem}
.tags{display:flex;flex-wrap:wrap;gap:.35rem;list-style:none;padding:0;margin:.4rem 0}
.tags a{display:inline-block;font-size:.82rem;padding:.05rem .5rem;border:1px solid var(--line);border-radius:99px;text-decoration:none}
.filters{background:var(--panel);border:1px solid var(--line);border-radius:var(--radius);padding:.75rem}
.filters label{font-size:.9rem;color:var(--muted)}
.result-count{color:var(--muted)}
.pager{display:flex;justify-content:space-between;align-items:center;margin-top:1.25rem}
.package-head{display:flex;gap:1rem;align-items:center}.package-head h1{margin:0;font-size:1.8rem;overflow-wrap:anywhere}
.package-head p{margin:.15rem 0}
.package-grid{display:grid;grid-template-columns:minmax(0,1fr) 18rem;gap:2rem;margin-top:1rem}
.package-side{border-left:1px solid var(--line);padding-left:1.5rem}
.facts dt{font-weight:600;margin-top:.6rem}.facts dd{margin:0;overflow-wrap:anywhere}
.file-links{padding-left:1.1rem}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.05rem .45rem;border-radius:4px;vertical-align:middle;border:1px solid currentColor}
.badge-prerelease,.badge-deprecated{color:var(--warn-fg);background:var(--warn-bg)}.badge-unlisted{color:var(--muted)}.badge-current{color:var(--accent)}
.badge-vulnerable{color:var(--danger-fg);background:var(--danger-bg)}
.notice{background:var(--warn-bg);color:var(--warn-fg);padding:.6rem .9rem;border-radius:var(--radius);margin:1rem 0;overflow-wrap:anywhere}
.notice-vulnerable{background:var(--danger-bg);color:var(--danger-fg)}
.notice p,.notice ul{margin:.25rem 0}.notice a,.notice .range{color:inherit}.notice-message{white-space:pre-line}
.advisories{padding-left:1.1rem}.severity{font-weight:600}
[role=tablist]{display:flex;flex-wrap:wrap;gap:.25rem;border-bottom:1px solid var(--line);margin-bottom:.5rem}
[role=tab]{background:none;color:var(--fg);border:0;border-bottom:3px solid transparent;border-radius:0;padding:.4rem .6rem}
[role=tab][aria-selected=true]{border-bottom-color:var(--accent);font-weight:600}
.snippets{margin-bottom:.5rem}.snippets.tabbed .panel-label{display:none}
.panel-label{font-weight:600;margin:.75rem 0 .25rem}
.snippet{position:relative}.snippet pre{padding-right:5rem;white-space:pre-wrap;overflow-wrap:anywhere}
.copy{position:absolute;top:.4rem;right:.4rem;padding:.2rem .6rem;font-size:.85rem}
.readme{overflow-wrap:anywhere}.readme pre{white-space:pre-wrap}.readme img{max-width:100%;height:auto}
.readme table{border-collapse:collapse}.readme th,.readme td{border:1px solid var(--line);padding:.3rem .6rem}
.readme blockquote{margin:0;padding-left:1rem;border-left:4px solid var(--line);color:var(--muted)}
.blocked-image{color:var(--muted);font-style:italic}
.table-wrap{overflow-x:auto}
.versions{border-collapse:collapse;width:100%}.versions th,.versions td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line)}
.versions .number{text-align:right}.versions tr[aria-current] th,.versions tr[aria-current] td{background:var(--panel)}
.versions tr.unlisted a{color:var(--muted)}
.dependencies{padding-left:1.1rem}.range{color:var(--muted)}
.release-notes,.license-text{white-space:pre-wrap}
.missing{max-width:40rem}
@media (max-width:48rem){.package-grid{grid-template-columns:minmax(0,1fr)}.package-side{border-left:0;padding-left:0;border-top:1px solid var(--line)}
.package-head h1{font-size:1.4rem}.hero h1{font-size:1.7rem}.top .search{max-width:none}}
`;

/**
 * Snippets as tabs with copy buttons. Without script every panel shows under its own label and
 * there are no buttons; src/gallery/assets/script.ts turns the list into tabs and shows the
 * buttons (the Clipboard API needs script anyway).
 */
import { escapeHtml } from './html';
import type { InstallSnippet } from './install';

export function snippetTabs(group: string, snippets: readonly InstallSnippet[], label: string): string {
  const tabs = snippets.map(
    (s, i) =>
      `<button type="button" role="tab" id="tab-${group}-${s.key}" aria-controls="panel-${group}-${s.key}" aria-selected="${i === 0}" tabindex="${i === 0 ? 0 : -1}">${escapeHtml(s.label)}</button>`,
  );
  const panels = snippets.map(
    (s) => `<div class="panel" role="tabpanel" id="panel-${group}-${s.key}" aria-labelledby="tab-${group}-${s.key}">
<p class="panel-label">${escapeHtml(s.label)}</p>
<div class="snippet"><pre><code id="code-${group}-${s.key}">${escapeHtml(s.code)}</code></pre><button type="button" class="copy" data-copy="code-${group}-${s.key}" hidden>Copy</button></div>
${s.note ? `<p class="note">${escapeHtml(s.note)}</p>` : ''}
</div>`,
  );
  return `<div class="snippets" data-tabs>
<div role="tablist" aria-label="${escapeHtml(label)}" hidden>${tabs.join('')}</div>
${panels.join('\n')}
</div>`;
}

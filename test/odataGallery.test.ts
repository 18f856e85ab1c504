/** The gallery's home page shows how to use the V2 URL: PowerShellGet, Chocolatey and a V2 NuGet.Config. */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { FEED } from './support/nupkg';

describe('the home page', () => {
  it('offers the V2 source for PowerShellGet, Chocolatey and NuGet.Config', async () => {
    const response = await exports.default.fetch(new Request(`${FEED}/`));
    expect(response.status).toBe(200);
    const html = await response.text();
    const v2 = `${FEED}/api/v2/`;
    expect(html).toContain(
      `Register-PSRepository -Name EdgeGet -SourceLocation ${v2} -PublishLocation ${v2}package/ -InstallationPolicy Trusted`,
    );
    expect(html).toContain(`choco source add -n=EdgeGet -s=&#34;${v2}&#34;`);
    expect(html).toContain(`&#60;add key=&#34;EdgeGet&#34; value=&#34;${v2}&#34; /&#62;`);
    // The V3 source stays the first way shown.
    expect(html.indexOf(`${FEED}/v3/index.json`)).toBeLessThan(html.indexOf(v2));
  });
});
